import type { Format } from '@conveyor/contracts';

export const imageFormatIds = ['png', 'jpeg', 'webp', 'avif', 'tiff', 'gif'] as const;
export type ImageFormatId = (typeof imageFormatIds)[number];

export const imageFormats: Format[] = [
  { id: 'png', name: 'PNG', mime: 'image/png', extensions: ['png'], category: 'image' },
  { id: 'jpeg', name: 'JPEG', mime: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe'], category: 'image' },
  { id: 'webp', name: 'WebP', mime: 'image/webp', extensions: ['webp'], category: 'image' },
  { id: 'avif', name: 'AVIF', mime: 'image/avif', extensions: ['avif'], category: 'image' },
  { id: 'tiff', name: 'TIFF', mime: 'image/tiff', extensions: ['tif', 'tiff'], category: 'image' },
  { id: 'gif', name: 'GIF', mime: 'image/gif', extensions: ['gif'], category: 'image' },
];

/** How each format encodes, as far as the capability graph and the encoder care. */
interface EncodingTraits {
  /** Encoding discards information (GIF does too: it quantizes to a 256-colour palette). */
  lossy: boolean;
  /** The encoder has a 1–100 quality knob. */
  hasQuality: boolean;
  /** The format can hold several frames, so animation survives a conversion between two such formats. */
  animated: boolean;
}

const encodingTraits: Record<ImageFormatId, EncodingTraits> = {
  png: { lossy: false, hasQuality: false, animated: false },
  jpeg: { lossy: true, hasQuality: true, animated: false },
  webp: { lossy: true, hasQuality: true, animated: true },
  avif: { lossy: true, hasQuality: true, animated: false },
  tiff: { lossy: false, hasQuality: false, animated: false },
  gif: { lossy: true, hasQuality: false, animated: true },
};

export function isImageFormatId(value: string): value is ImageFormatId {
  return (imageFormatIds as readonly string[]).includes(value);
}

export function traitsOf(format: ImageFormatId): EncodingTraits {
  return encodingTraits[format];
}

export function formatName(format: ImageFormatId): string {
  return imageFormats.find((candidate) => candidate.id === format)?.name ?? format;
}
