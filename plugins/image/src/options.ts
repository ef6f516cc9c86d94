import { PluginError, type JsonSchema } from '@conveyor/contracts';

export const fitModes = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;
export type FitMode = (typeof fitModes)[number];

/** Largest width or height a caller may ask for; WebP cannot encode beyond 16383. */
export const maxDimension = 16_383;

export interface ImageOptions {
  quality?: number;
  width?: number;
  height?: number;
  fit?: FitMode;
}

const qualitySchema = {
  type: 'integer',
  minimum: 1,
  maximum: 100,
  description: 'Encoder quality: higher is larger and closer to the original.',
};

const resizeSchema = {
  width: { type: 'integer', minimum: 1, maximum: maxDimension, description: 'Output width in pixels; keeps the aspect ratio when height is left out.' },
  height: { type: 'integer', minimum: 1, maximum: maxDimension, description: 'Output height in pixels; keeps the aspect ratio when width is left out.' },
  fit: { enum: [...fitModes], default: 'cover', description: 'How the image fits a box given by both width and height.' },
};

/** The options a conversion to a target accepts: quality only where its encoder has one. */
export function imageOptionsSchema(targetHasQuality: boolean): JsonSchema {
  return {
    type: 'object',
    properties: targetHasQuality ? { quality: qualitySchema, ...resizeSchema } : { ...resizeSchema },
  };
}

/**
 * Validates the options this plugin understands and returns them typed. Keys it does not know
 * are ignored: checking a request against the published schema is the API's job.
 *
 * @example parseImageOptions({ quality: 82, width: 640 }) // → { quality: 82, width: 640 }
 */
export function parseImageOptions(options: Record<string, unknown>): ImageOptions {
  const parsed: ImageOptions = {};
  if (options.quality !== undefined) parsed.quality = integerOption('quality', options.quality, 1, 100);
  if (options.width !== undefined) parsed.width = integerOption('width', options.width, 1, maxDimension);
  if (options.height !== undefined) parsed.height = integerOption('height', options.height, 1, maxDimension);
  if (options.fit !== undefined) parsed.fit = fitOption(options.fit);
  return parsed;
}

function integerOption(name: string, value: unknown, minimum: number, maximum: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    throw new PluginError('invalid_option', `${name} must be an integer from ${minimum} to ${maximum}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function fitOption(value: unknown): FitMode {
  if (typeof value !== 'string' || !(fitModes as readonly string[]).includes(value)) {
    throw new PluginError('invalid_option', `fit must be one of ${fitModes.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as FitMode;
}
