import { PluginError, type JsonSchema } from '@conveyor/contracts';
import type { Target } from './targets.js';

/** The options a conversion understands, validated; every one is a number, never a string. */
export interface MediaOptions {
  /** Audio bitrate in kbit/s. */
  bitrate?: number;
  sample_rate?: number;
  channels?: number;
  width?: number;
  height?: number;
  /** Longest side of the frame, in pixels: scales down only, keeping the aspect ratio. */
  max_size?: number;
  fps?: number;
  /** Seconds to skip at the start of the input. */
  start?: number;
  /** Seconds of the input to keep, from `start`. */
  duration?: number;
  crf?: number;
}

export type MediaOptionName = keyof MediaOptions;

/** Largest width, height or longest side a caller may ask for: 8K. */
export const maxDimension = 8192;
/** Longest trim position or length accepted, in seconds (a day); the duration limit applies on top. */
const maxSeconds = 86_400;

interface NumericProperty {
  type: 'integer' | 'number';
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  multipleOf?: number;
  enum?: number[];
  description: string;
}

const trimProperties: Record<'start' | 'duration', NumericProperty> = {
  start: { type: 'number', minimum: 0, maximum: maxSeconds, description: 'Seconds to skip at the start of the input.' },
  duration: { type: 'number', exclusiveMinimum: 0, maximum: maxSeconds, description: 'Seconds to keep, counted from start.' },
};

/**
 * H.264 and VP9 encode 4:2:0 frames, whose sides must be even; a GIF takes any size.
 * Sides derived from the aspect ratio are rounded to fit, but sides the caller gives are held to it.
 */
function frameProperties(evenSides: boolean): Record<'width' | 'height' | 'max_size' | 'fps', NumericProperty> {
  const even = evenSides ? { multipleOf: 2 } : {};
  return {
    width: { type: 'integer', minimum: 16, maximum: maxDimension, ...even, description: 'Frame width in pixels; keeps the aspect ratio when height is left out.' },
    height: { type: 'integer', minimum: 16, maximum: maxDimension, ...even, description: 'Frame height in pixels; keeps the aspect ratio when width is left out.' },
    max_size: { type: 'integer', minimum: 16, maximum: maxDimension, description: 'Longest side of the frame at most this many pixels; only ever scales down.' },
    fps: { type: 'number', minimum: 1, maximum: 120, description: 'Frames per second.' },
  };
}

function propertiesFor(target: Target): Partial<Record<MediaOptionName, NumericProperty>> {
  switch (target.kind) {
    case 'audio': {
      const { bitrate, sampleRates } = target.codec;
      return {
        ...(bitrate && {
          bitrate: {
            type: 'integer',
            minimum: bitrate.minimum,
            maximum: bitrate.maximum,
            description:
              target.codec.encoder === 'libvorbis'
                ? 'Nominal audio bitrate in kbit/s (Vorbis encodes at the quality level of that bitrate).'
                : 'Audio bitrate in kbit/s.',
          },
        }),
        sample_rate: { type: 'integer', enum: [...sampleRates], description: 'Sample rate in Hz.' },
        channels: { type: 'integer', minimum: 1, maximum: 2, description: 'Mix down to mono (1) or stereo (2).' },
        ...trimProperties,
      };
    }
    case 'video': {
      const { crf } = target.video;
      return {
        ...frameProperties(true),
        crf: { type: 'integer', minimum: crf.minimum, maximum: crf.maximum, description: `Constant quality: lower is better and larger (default ${crf.default}).` },
        ...trimProperties,
      };
    }
    case 'gif':
      return { ...frameProperties(false), ...trimProperties };
  }
}

/** The JSON Schema of the options a conversion to `target` accepts. */
export function mediaOptionsSchema(target: Target): JsonSchema {
  return { type: 'object', additionalProperties: false, properties: propertiesFor(target) };
}

/**
 * Validates `options` against the schema published for `target` and returns them typed.
 * Unknown keys are refused too: an option that does not apply to the target (crf for an MP3)
 * is a mistake worth telling the caller about, not one to ignore silently.
 *
 * @example parseMediaOptions({ bitrate: 128 }, targetOf('mp3')) // → { bitrate: 128 }
 */
export function parseMediaOptions(options: Record<string, unknown>, target: Target): MediaOptions {
  const properties = propertiesFor(target);
  const parsed: MediaOptions = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const property = properties[name as MediaOptionName];
    if (!property) {
      const accepted = Object.keys(properties).join(', ');
      throw new PluginError('invalid_parameter', `option ${name} does not apply to this conversion (accepted: ${accepted})`);
    }
    parsed[name as MediaOptionName] = checkedNumber(name, value, property);
  }
  if (parsed.start !== undefined && parsed.duration !== undefined && parsed.start + parsed.duration > maxSeconds) {
    throw new PluginError('invalid_parameter', `start + duration must be at most ${maxSeconds} seconds`);
  }
  return parsed;
}

function checkedNumber(name: string, value: unknown, property: NumericProperty): number {
  const refuse = (expected: string) =>
    new PluginError('invalid_parameter', `${name} must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
  const kind = property.type === 'integer' ? 'an integer' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value)) throw refuse(kind);
  if (property.type === 'integer' && !Number.isInteger(value)) throw refuse(kind);
  if (property.enum && !property.enum.includes(value)) throw refuse(`one of ${property.enum.join(', ')}`);
  if (property.minimum !== undefined && value < property.minimum) throw refuse(`${kind} of at least ${property.minimum}`);
  if (property.exclusiveMinimum !== undefined && value <= property.exclusiveMinimum) throw refuse(`${kind} above ${property.exclusiveMinimum}`);
  if (property.maximum !== undefined && value > property.maximum) throw refuse(`${kind} of at most ${property.maximum}`);
  if (property.multipleOf !== undefined && value % property.multipleOf !== 0) throw refuse(`a multiple of ${property.multipleOf}`);
  return value;
}
