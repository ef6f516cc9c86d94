import { PluginError } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { decodeBmp } from '../src/bmp-decoder.js';
import { encodeBmp } from '../src/bmp-encoder.js';
import type { RawImage } from '../src/raw-image.js';
import { runFfmpeg } from './ffmpeg.js';
import { ffmpegImageArgs, noisePixels } from './image-fixtures.js';

const width = 13; // odd, so that every row needs padding to 4 bytes
const height = 7;
const noLimit = 1e9;

/** ffmpeg's own reading of a BMP file, as RGB or RGBA: the reference the plugin's decoder must match. */
function ffmpegDecode(bmp: Buffer, pixelFormat: 'rgb24' | 'rgba'): Promise<Buffer> {
  return runFfmpeg(['-f', 'bmp_pipe', '-i', '-', '-f', 'rawvideo', '-pix_fmt', pixelFormat, '-'], bmp);
}

function ffmpegEncode(rgb: Buffer, pixelFormat: string, inputPixelFormat = 'rgb24'): Promise<Buffer> {
  return runFfmpeg(ffmpegImageArgs(width, height, ['-pix_fmt', pixelFormat, '-c:v', 'bmp', '-f', 'image2pipe'], inputPixelFormat), rgb);
}

function rgbaPixels(): Buffer {
  const pixels = Buffer.alloc(width * height * 4);
  for (let index = 0; index < width * height; index++) pixels.set([(index * 37) % 256, (index * 11) % 256, (index * 5) % 256, (index * 19) % 256], index * 4);
  return pixels;
}

function expectPluginError(work: () => unknown, code: string, message: RegExp): void {
  let caught: unknown;
  try {
    work();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PluginError);
  expect((caught as PluginError).code).toBe(code);
  expect((caught as PluginError).message).toMatch(message);
}

/** A hand-written BITMAPINFOHEADER BMP (8-bit palette), independent of the plugin's encoder. */
function paletteBmp(options: { width: number; height: number; compression: number; palette: number[][]; pixelData: number[] }): Buffer {
  const paletteBytes = options.palette.length * 4;
  const pixelOffset = 14 + 40 + paletteBytes;
  const file = Buffer.alloc(pixelOffset + options.pixelData.length);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(pixelOffset, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(options.width, 18);
  file.writeInt32LE(options.height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(options.compression === 2 ? 4 : 8, 28);
  file.writeUInt32LE(options.compression, 30);
  file.writeUInt32LE(options.palette.length, 46);
  options.palette.forEach(([r, g, b], index) => file.set([b!, g!, r!, 0], 54 + index * 4));
  file.set(options.pixelData, pixelOffset);
  return file;
}

describe('BMP decoder', () => {
  it.each([
    ['24-bit', 'bgr24'],
    ['8-bit palette', 'pal8'],
    ['4-bit palette', 'rgb4_byte'],
    ['1-bit palette', 'monob'],
    ['16-bit 5-6-5 bit fields', 'rgb565le'],
    ['16-bit 5-5-5', 'rgb555le'],
    ['32-bit', 'bgra'],
  ])('reads a %s BMP written by ffmpeg exactly as ffmpeg reads it back', async (_label, pixelFormat) => {
    const bmp = await ffmpegEncode(await noisePixels(width, height), pixelFormat);
    const decoded = decodeBmp(bmp, noLimit);
    expect([decoded.width, decoded.height]).toEqual([width, height]);
    expect(decoded.channels).toBe(3);
    expect(decoded.data.equals(await ffmpegDecode(bmp, 'rgb24'))).toBe(true);
  });

  it('reads a top-down BMP (negative height) the right way up', async () => {
    const bottomUp = await ffmpegEncode(await noisePixels(width, height), 'bgr24');
    const pixelOffset = bottomUp.readUInt32LE(10);
    const stride = Math.ceil((width * 3) / 4) * 4;
    const topDown = Buffer.from(bottomUp);
    topDown.writeInt32LE(-height, 22);
    for (let row = 0; row < height; row++) {
      bottomUp.copy(topDown, pixelOffset + row * stride, pixelOffset + (height - 1 - row) * stride, pixelOffset + (height - row) * stride);
    }
    expect(decodeBmp(topDown, noLimit).data.equals(decodeBmp(bottomUp, noLimit).data)).toBe(true);
    expect(decodeBmp(topDown, noLimit).data.equals(await ffmpegDecode(bottomUp, 'rgb24'))).toBe(true);
  });

  it('reads RLE8: runs, a literal run, end of line, a jump, leaving skipped pixels transparent', () => {
    const red = [255, 0, 0];
    const green = [0, 255, 0];
    const blue = [0, 0, 255];
    // 5×2, bottom row first: 2 red, then a literal run (green, blue, green; padded to 16 bits), end of line;
    // then a jump 2 to the right, 2 blue, end of bitmap.
    const bmp = paletteBmp({ width: 5, height: 2, compression: 1, palette: [red, green, blue], pixelData: [2, 0, 0, 3, 1, 2, 1, 0, 0, 0, 0, 2, 2, 0, 2, 2, 0, 1] });
    const image = decodeBmp(bmp, noLimit);
    expect(image.channels).toBe(4);
    const row = (y: number) => Array.from({ length: 5 }, (_unused, x) => [...image.data.subarray((y * 5 + x) * 4, (y * 5 + x) * 4 + 4)]);
    const clear = [0, 0, 0, 0];
    expect(row(0)).toEqual([clear, clear, [...blue, 255], [...blue, 255], clear]);
    expect(row(1)).toEqual([[...red, 255], [...red, 255], [...green, 255], [...blue, 255], [...green, 255]]);
  });

  it('reads RLE4: a run alternates the two colours of its byte', () => {
    const bmp = paletteBmp({ width: 3, height: 1, compression: 2, palette: [[10, 20, 30], [200, 100, 50]], pixelData: [3, 0x01, 0, 1] });
    const image = decodeBmp(bmp, noLimit);
    expect(image.channels).toBe(3);
    expect([...image.data]).toEqual([10, 20, 30, 200, 100, 50, 10, 20, 30]);
  });

  it('refuses a BMP holding a JPEG, naming it', () => {
    const bmp = paletteBmp({ width: 1, height: 1, compression: 4, palette: [], pixelData: [0, 0, 0, 0] });
    expectPluginError(() => decodeBmp(bmp, noLimit), 'invalid_input', /JPEG/);
  });

  it('refuses a header claiming 100000×100000 from the header alone, before allocating pixels (the file has none)', () => {
    const bmp = paletteBmp({ width: 100_000, height: 100_000, compression: 0, palette: [[0, 0, 0]], pixelData: [] });
    expectPluginError(() => decodeBmp(bmp, 100_000_000), 'limit_exceeded', /100000×100000/);
  });

  it('refuses a BMP whose pixel data is cut short', async () => {
    const bmp = await ffmpegEncode(await noisePixels(width, height), 'bgr24');
    expectPluginError(() => decodeBmp(bmp.subarray(0, bmp.length - 10), noLimit), 'invalid_input', /cut short/);
  });
});

describe('BMP encoder', () => {
  it('writes an opaque image as a 24-bit BMP that ffmpeg reads back pixel for pixel', async () => {
    const rgb = await noisePixels(width, height);
    const bmp = encodeBmp({ data: rgb, width, height, channels: 3 });
    expect(bmp.readUInt16LE(28)).toBe(24);
    expect((await ffmpegDecode(bmp, 'rgb24')).equals(rgb)).toBe(true);
    expect(decodeBmp(bmp, noLimit).data.equals(rgb)).toBe(true);
  });

  it('writes transparency as a 32-bit BMP with an alpha mask that round-trips exactly, and ffmpeg reads its colours', async () => {
    const image: RawImage = { data: rgbaPixels(), width, height, channels: 4 };
    const bmp = encodeBmp(image);
    expect(bmp.readUInt16LE(28)).toBe(32);
    expect(bmp.readUInt32LE(14 + 52)).toBe(0xff000000);
    const decoded = decodeBmp(bmp, noLimit);
    expect(decoded.channels).toBe(4);
    expect(decoded.data.equals(image.data)).toBe(true);
    const byFfmpeg = await ffmpegDecode(bmp, 'rgba');
    const colours = (pixels: Buffer) => [...pixels].filter((_value, index) => index % 4 !== 3);
    expect(colours(byFfmpeg)).toEqual(colours(image.data));
  });

  it('writes an RGBA image whose alpha is opaque everywhere as 24-bit', () => {
    const data = rgbaPixels();
    for (let offset = 3; offset < data.length; offset += 4) data[offset] = 255;
    expect(encodeBmp({ data, width, height, channels: 4 }).readUInt16LE(28)).toBe(24);
  });
});
