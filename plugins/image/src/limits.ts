import { PluginError } from '@conveyor/contracts';
import { formatName } from './formats.js';

/**
 * Refuses an image whose header announces more than `maxPixels`, before any pixel buffer is
 * allocated: a few header bytes can otherwise claim gigabytes of decoded pixels.
 */
export function checkPixelLimit(width: number, height: number, maxPixels: number, format: string): void {
  if (width * height > maxPixels) {
    throw new PluginError('limit_exceeded', `the ${formatName(format)} image is ${width}×${height}, more than the allowed ${maxPixels} pixels`);
  }
}

export function invalidInput(format: string, reason: string): PluginError {
  return new PluginError('invalid_input', `the input is not a readable ${formatName(format)} image: ${reason}`);
}
