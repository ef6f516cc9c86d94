import { PluginError, type ConversionLimits } from '@conveyor/contracts';
import type { FrameSize } from './frame-size.js';
import type { MediaInfo } from './inspect.js';

/** Refuses an input longer than the limit allows, before any decoding. */
export function refuseOverlongInput(info: MediaInfo, limits: ConversionLimits): void {
  if (info.durationSeconds !== undefined && info.durationSeconds > limits.maxDurationSeconds) {
    throw overlong(info.durationSeconds, limits);
  }
}

/**
 * The same limit, for an input whose length the container does not state: ffmpeg's position in
 * the input while it runs. Called with each progress report, so such an input is stopped once it
 * has proven too long rather than decoded to its end.
 */
export function refuseOverlongPosition(positionSeconds: number, limits: ConversionLimits): void {
  if (positionSeconds > limits.maxDurationSeconds) throw overlong(positionSeconds, limits, 'more than ');
}

function overlong(seconds: number, limits: ConversionLimits, qualifier = ''): PluginError {
  return new PluginError(
    'limit_exceeded',
    `the input lasts ${qualifier}${seconds.toFixed(1)} s, longer than the limit of ${limits.maxDurationSeconds} s`,
  );
}

/**
 * Refuses a frame, decoded from the input or to be encoded, larger than the limit allows:
 * the input's alone would let a small video be scaled up into a huge one.
 */
export function refuseOversizedFrame(frame: FrameSize, which: 'input' | 'output', limits: ConversionLimits): void {
  const pixels = frame.width * frame.height;
  if (pixels > limits.maxPixels) {
    throw new PluginError(
      'limit_exceeded',
      `the ${which} frame of ${frame.width}×${frame.height} (${pixels} pixels) exceeds the limit of ${limits.maxPixels} pixels`,
    );
  }
}
