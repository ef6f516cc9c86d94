import { PluginError, type JsonSchema } from '@conveyor/contracts';
import { traitsOf, type InputFormatId, type OutputFormatId } from './formats.js';

export const fitModes = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;
export type FitMode = (typeof fitModes)[number];

/** Largest width or height a caller may ask for; WebP cannot encode beyond 16383. */
export const maxDimension = 16_383;

/** SVG rasterisation density bounds, in dots per inch; 72 is one SVG pixel per output pixel. */
export const defaultSvgDensity = 72;
export const maxSvgDensity = 9_600;

export interface ImageOptions {
  quality?: number;
  /** WebP and AVIF: store every pixel exactly (the `lossless` preset). */
  lossless?: boolean;
  width?: number;
  height?: number;
  fit?: FitMode;
  /** A CSS colour (`#rrggbb`, `rgb(…)`, a name) or bare hex: letterboxing for `contain`, and what transparency is flattened onto. */
  background?: string;
  /** SVG only: rasterisation density in dots per inch. */
  density?: number;
  /** Keep EXIF, XMP and IPTC; by default only the colour profile survives (orientation is applied to the pixels). */
  preserveMetadata?: boolean;
}

const qualitySchema = {
  type: 'integer',
  minimum: 1,
  maximum: 100,
  description: 'Encoder quality: higher is larger and closer to the original.',
};

const losslessSchema = { type: 'boolean', description: 'Store every pixel exactly; quality then only trades encoding time for size.' };

const densitySchema = {
  type: 'number',
  minimum: 1,
  maximum: maxSvgDensity,
  description: `Rasterisation density in dots per inch (${defaultSvgDensity}: one SVG pixel per output pixel). Without it, a requested width or height sets it.`,
};

const commonSchema = {
  width: { type: 'integer', minimum: 1, maximum: maxDimension, description: 'Output width in pixels; keeps the aspect ratio when height is left out.' },
  height: { type: 'integer', minimum: 1, maximum: maxDimension, description: 'Output height in pixels; keeps the aspect ratio when width is left out.' },
  fit: { enum: [...fitModes], default: 'cover', description: 'How the image fits a box given by both width and height.' },
  preserve_metadata: {
    type: 'boolean',
    default: false,
    description: 'Keep EXIF, XMP and IPTC metadata; by default only the colour profile is kept (orientation is applied to the pixels).',
  },
  background: {
    type: 'string',
    maxLength: 64,
    description: 'CSS colour or hex (#ffffff, rgb(0 0 0 / 0), white): fills the bars of fit=contain, and replaces transparency where the target has none.',
  },
};

/** The options a conversion from `from` to `to` accepts: quality and lossless where the encoder has them, density for SVG. */
export function imageOptionsSchema(from: InputFormatId, to: OutputFormatId): JsonSchema {
  const target = traitsOf(to);
  return {
    type: 'object',
    // A misspelt option would otherwise be dropped without a word, and the image made without it.
    additionalProperties: false,
    properties: {
      ...(target.hasQuality ? { quality: qualitySchema } : {}),
      ...(target.hasLosslessMode ? { lossless: losslessSchema } : {}),
      ...commonSchema,
      ...(from === 'svg' ? { density: densitySchema } : {}),
    },
  };
}

/**
 * Validates the options this plugin understands and returns them typed. Keys it does not know
 * are ignored: checking a request against the published schema is the API's job. The colour
 * itself is checked by `sharp` when the conversion starts (see `checkBackground`).
 *
 * @example parseImageOptions({ quality: 82, width: 640 }) // → { quality: 82, width: 640 }
 */
export function parseImageOptions(options: Record<string, unknown>): ImageOptions {
  const parsed: ImageOptions = {};
  if (options.quality !== undefined) parsed.quality = integerOption('quality', options.quality, 1, 100);
  if (options.lossless !== undefined) parsed.lossless = booleanOption('lossless', options.lossless);
  if (options.preserve_metadata !== undefined) parsed.preserveMetadata = booleanOption('preserve_metadata', options.preserve_metadata);
  if (options.width !== undefined) parsed.width = integerOption('width', options.width, 1, maxDimension);
  if (options.height !== undefined) parsed.height = integerOption('height', options.height, 1, maxDimension);
  if (options.fit !== undefined) parsed.fit = fitOption(options.fit);
  if (options.background !== undefined) parsed.background = backgroundOption(options.background);
  if (options.density !== undefined) parsed.density = numberOption('density', options.density, 1, maxSvgDensity);
  return parsed;
}

export function invalidParameter(message: string): PluginError {
  return new PluginError('invalid_parameter', message);
}

function integerOption(name: string, value: unknown, minimum: number, maximum: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    throw invalidParameter(`${name} must be an integer from ${minimum} to ${maximum}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function numberOption(name: string, value: unknown, minimum: number, maximum: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum || value > maximum) {
    throw invalidParameter(`${name} must be a number from ${minimum} to ${maximum}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function booleanOption(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidParameter(`${name} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function fitOption(value: unknown): FitMode {
  if (typeof value !== 'string' || !(fitModes as readonly string[]).includes(value)) {
    throw invalidParameter(`fit must be one of ${fitModes.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as FitMode;
}

/** Bare hex (`ff8800`) is taken as `#ff8800`; anything else must be a colour sharp's CSS parser reads. */
function backgroundOption(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 64) {
    throw invalidParameter(`background must be a CSS colour such as "#ffffff" or "white", got ${JSON.stringify(value)}`);
  }
  const trimmed = value.trim();
  return /^(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(trimmed) ? `#${trimmed}` : trimmed;
}
