import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, expect } from 'vitest';
import { runPluginConformance } from '../../../test/plugin-conformance/index.js';
import { imageFormatIds, isImageFormatId, type ImageFormatId } from '../src/formats.js';
import { imagePlugin } from '../src/index.js';
import { decodedFormatName, fixtureHeight, fixtureWidth, makeWorkDir, removeWorkDirs, writeTestImage } from './image-fixtures.js';

afterAll(removeWorkDirs);

async function sampleImage(format: ImageFormatId): Promise<Uint8Array> {
  return readFile(await writeTestImage(await makeWorkDir(), format));
}

runPluginConformance(imagePlugin, {
  samples: Object.fromEntries(imageFormatIds.map((format) => [format, () => sampleImage(format)])),
  // Half a PNG: a real signature and header, then nothing, so the decoder itself must notice.
  corruptSample: {
    from: 'png',
    bytes: async () => {
      const whole = await sampleImage('png');
      return whole.subarray(0, Math.floor(whole.length / 2));
    },
  },
  verifyOutput: async ({ to, bytes }) => {
    if (!isImageFormatId(to)) throw new Error(`the image plugin converted to ${to}, a format it does not declare`);
    const metadata = await sharp(bytes).metadata();
    expect(metadata.format).toBe(decodedFormatName[to]);
    expect([metadata.width, metadata.height]).toEqual([fixtureWidth, fixtureHeight]);
  },
});
