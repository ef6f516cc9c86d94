import type { Format } from '@conveyor/contracts';

/** Formats this plugin writes. */
export const outputFormatIds = ['png', 'jpeg', 'webp', 'avif', 'tiff', 'gif', 'bmp', 'ico'] as const;
/** Formats this plugin reads: every output, plus those it can only decode. */
export const inputFormatIds = [...outputFormatIds, 'heic', 'heif', 'svg'] as const;

export type OutputFormatId = (typeof outputFormatIds)[number];
export type InputFormatId = (typeof inputFormatIds)[number];
/**
 * The formats the plugin writes, and so makes templates of (the API serves one per id here).
 * HEIC, HEIF and SVG are read only.
 */
export const imageFormatIds = outputFormatIds;
export type ImageFormatId = OutputFormatId;

/** Ids, MIME types and extensions match the ingress's format table (core/src/formats/sniff.ts). */
export const imageFormats: Format[] = [
  { id: 'png', name: 'PNG', mime: 'image/png', extensions: ['png'], category: 'image' },
  { id: 'jpeg', name: 'JPEG', mime: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe'], category: 'image' },
  { id: 'webp', name: 'WebP', mime: 'image/webp', extensions: ['webp'], category: 'image' },
  { id: 'avif', name: 'AVIF', mime: 'image/avif', extensions: ['avif'], category: 'image' },
  { id: 'tiff', name: 'TIFF', mime: 'image/tiff', extensions: ['tif', 'tiff'], category: 'image' },
  { id: 'gif', name: 'GIF', mime: 'image/gif', extensions: ['gif'], category: 'image' },
  { id: 'bmp', name: 'BMP', mime: 'image/bmp', extensions: ['bmp'], category: 'image' },
  { id: 'ico', name: 'ICO', mime: 'image/vnd.microsoft.icon', extensions: ['ico'], category: 'image' },
  { id: 'heic', name: 'HEIC', mime: 'image/heic', extensions: ['heic'], category: 'image' },
  { id: 'heif', name: 'HEIF', mime: 'image/heif', extensions: ['heif', 'hif'], category: 'image' },
  { id: 'svg', name: 'SVG', mime: 'image/svg+xml', extensions: ['svg'], category: 'image' },
];

/** How each output format encodes, as far as the capability graph and the encoder care. */
interface EncodingTraits {
  /** Encoding discards information (GIF does too: it quantizes to a 256-colour palette). */
  lossy: boolean;
  /** The encoder has a 1–100 quality knob. */
  hasQuality: boolean;
  /** The encoder can also store every pixel exactly (`lossless: true`). */
  hasLosslessMode: boolean;
  /** The format can hold several frames, so animation survives a conversion between two such formats. */
  animated: boolean;
  /** The format cannot store transparency: transparent pixels are flattened onto the background. */
  dropsAlpha: boolean;
}

const encodingTraits: Record<OutputFormatId, EncodingTraits> = {
  png: { lossy: false, hasQuality: false, hasLosslessMode: false, animated: false, dropsAlpha: false },
  jpeg: { lossy: true, hasQuality: true, hasLosslessMode: false, animated: false, dropsAlpha: true },
  webp: { lossy: true, hasQuality: true, hasLosslessMode: true, animated: true, dropsAlpha: false },
  avif: { lossy: true, hasQuality: true, hasLosslessMode: true, animated: false, dropsAlpha: false },
  tiff: { lossy: false, hasQuality: false, hasLosslessMode: false, animated: false, dropsAlpha: false },
  gif: { lossy: true, hasQuality: false, hasLosslessMode: false, animated: true, dropsAlpha: false },
  // BMP keeps alpha in a 32-bit bitmap; an opaque image is written as 24-bit.
  bmp: { lossy: false, hasQuality: false, hasLosslessMode: false, animated: false, dropsAlpha: false },
  // Lossless, but an icon holds at most 256×256: larger images are scaled down (see ico-encoder.ts).
  ico: { lossy: false, hasQuality: false, hasLosslessMode: false, animated: false, dropsAlpha: false },
};

/** Inputs that can hold several frames worth keeping for an animated target. */
const animatedInputs: ReadonlySet<InputFormatId> = new Set(['webp', 'gif']);

export function isInputFormatId(value: string): value is InputFormatId {
  return (inputFormatIds as readonly string[]).includes(value);
}

export function isOutputFormatId(value: string): value is OutputFormatId {
  return (outputFormatIds as readonly string[]).includes(value);
}

export function traitsOf(format: OutputFormatId): EncodingTraits {
  return encodingTraits[format];
}

export function canBeAnimated(format: InputFormatId): boolean {
  return animatedInputs.has(format);
}

export function formatName(format: string): string {
  return imageFormats.find((candidate) => candidate.id === format)?.name ?? format;
}
