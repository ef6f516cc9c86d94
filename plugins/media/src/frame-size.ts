import type { MediaOptions } from './options.js';
import { gifDefaults, type GifTarget, type VideoTarget } from './targets.js';

export interface FrameSize {
  width: number;
  height: number;
}

/**
 * The output's frame size: `width` and/or `height` as asked (the other side following the
 * aspect ratio), then shrunk to fit `max_size`. A GIF asked for no size gets the web preset's
 * cap, since a full-size GIF of a video is rarely what anyone wants and grows huge.
 * H.264 and VP9 need even sides, so computed sides are rounded to even numbers.
 *
 * @example outputFrameSize({ width: 1920, height: 1080 }, { max_size: 1280 }, mp4) // → { width: 1280, height: 720 }
 */
export function outputFrameSize(input: FrameSize, options: MediaOptions, target: VideoTarget | GifTarget): FrameSize {
  const aspect = input.width / input.height;
  let width = options.width ?? (options.height !== undefined ? options.height * aspect : input.width);
  let height = options.height ?? (options.width !== undefined ? options.width / aspect : input.height);
  const asksForSize = options.width !== undefined || options.height !== undefined;
  const cap = options.max_size ?? (target.kind === 'gif' && !asksForSize ? gifDefaults.maxSize : undefined);
  if (cap !== undefined && Math.max(width, height) > cap) {
    const scale = cap / Math.max(width, height);
    width *= scale;
    height *= scale;
  }
  const round = target.kind === 'video' ? roundToEven : (side: number) => Math.max(1, Math.round(side));
  return { width: round(width), height: round(height) };
}

function roundToEven(side: number): number {
  return Math.max(2, 2 * Math.round(side / 2));
}
