import { afterAll, expect } from 'vitest';
import { runPluginConformance } from '../../../test/plugin-conformance/index.js';
import { inputFormatIds, isOutputFormatId, type InputFormatId } from '../src/formats.js';
import { iconBoxes } from '../src/ico-encoder.js';
import { imagePlugin } from '../src/index.js';
import { expectedFormatName, fixtureHeight, fixtureWidth, inspectOutput, removeWorkDirs, testImageBytes } from './image-fixtures.js';

afterAll(removeWorkDirs);

/** Each sample is made once (HEIC and BMP ones by ffmpeg) and handed out for every check that needs it. */
const samples = new Map<InputFormatId, Promise<Buffer>>();
function sampleImage(format: InputFormatId): Promise<Buffer> {
  if (!samples.has(format)) samples.set(format, testImageBytes(format));
  return samples.get(format)!;
}

runPluginConformance(imagePlugin, {
  samples: Object.fromEntries(inputFormatIds.map((format) => [format, () => sampleImage(format)])),
  // Half a PNG: a real signature and header, then nothing, so the decoder itself must notice.
  corruptSample: {
    from: 'png',
    bytes: async () => {
      const whole = await sampleImage('png');
      return whole.subarray(0, Math.floor(whole.length / 2));
    },
  },
  verifyOutput: async ({ to, bytes }) => {
    if (!isOutputFormatId(to)) throw new Error(`the image plugin converted to ${to}, a format it does not write`);
    const decoded = await inspectOutput(Buffer.from(bytes), to);
    expect(decoded.format).toBe(expectedFormatName(to));
    // Every sample is 64×48; an icon's largest entry is the image fitted into 256×256, so the same.
    const [side] = iconBoxes(fixtureWidth, fixtureHeight);
    expect(side).toBe(fixtureWidth);
    expect([decoded.width, decoded.height]).toEqual([fixtureWidth, fixtureHeight]);
  },
});
