/**
 * How each Conveyor format id is read and rewritten. `reader` lists the libraries that look at
 * it; `writer` says which one rewrites it (absent: read only).
 */
export type Writer = 'exiftool' | 'pdf' | 'ffmpeg' | 'office';

interface FormatHandling {
  /** exiftool reads every format listed; music-metadata and ffprobe only where set. */
  musicMetadata?: boolean;
  ffprobe?: boolean;
  /** Zip-based office documents: docProps (OOXML) or meta.xml (ODF), read by this package. */
  office?: 'ooxml' | 'odf';
  writer?: Writer;
}

const handling = {
  png: { writer: 'exiftool' },
  jpeg: { writer: 'exiftool' },
  webp: { writer: 'exiftool' },
  tiff: { writer: 'exiftool' },
  avif: {},
  gif: {},
  heic: {},
  heif: {},
  bmp: {},
  ico: {},
  svg: {},
  pdf: { writer: 'pdf' },
  docx: { office: 'ooxml', writer: 'office' },
  xlsx: { office: 'ooxml', writer: 'office' },
  pptx: { office: 'ooxml', writer: 'office' },
  odt: { office: 'odf', writer: 'office' },
  ods: { office: 'odf', writer: 'office' },
  odp: { office: 'odf', writer: 'office' },
  mp3: { musicMetadata: true, ffprobe: true, writer: 'ffmpeg' },
  ogg: { musicMetadata: true, ffprobe: true, writer: 'ffmpeg' },
  opus: { musicMetadata: true, ffprobe: true, writer: 'ffmpeg' },
  flac: { musicMetadata: true, ffprobe: true, writer: 'ffmpeg' },
  m4a: { musicMetadata: true, ffprobe: true, writer: 'ffmpeg' },
  mp4: { musicMetadata: true, ffprobe: true, writer: 'ffmpeg' },
  mov: { musicMetadata: true, ffprobe: true, writer: 'ffmpeg' },
  wav: { musicMetadata: true, ffprobe: true },
  aac: { musicMetadata: true, ffprobe: true },
  mkv: { ffprobe: true, writer: 'ffmpeg' },
  webm: { ffprobe: true, writer: 'ffmpeg' },
} satisfies Record<string, FormatHandling>;

export type MetadataFormatId = keyof typeof handling;

export const readableFormatIds = Object.keys(handling) as MetadataFormatId[];
export const writableFormatIds = readableFormatIds.filter((id) => (handling[id] as FormatHandling).writer !== undefined);

export function formatHandling(format: string): FormatHandling | undefined {
  return Object.hasOwn(handling, format) ? (handling[format as MetadataFormatId] as FormatHandling) : undefined;
}
