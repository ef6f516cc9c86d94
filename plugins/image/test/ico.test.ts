import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBmp } from '../src/bmp-decoder.js';
import { decodeIco } from '../src/ico-decoder.js';
import { encodeIco, iconBoxes } from '../src/ico-encoder.js';
import { imagePlugin } from '../src/index.js';
import { runFfmpeg, runFfmpegToFile } from './ffmpeg.js';
import { conversionContext, ffmpegImageArgs, makeWorkDir, noisePixels, removeWorkDirs, writeBytes } from './image-fixtures.js';

afterEach(removeWorkDirs);

const noLimit = 1e9;

/** An icon with one BMP entry, written by ffmpeg's ICO muxer (bitmap height doubled, AND mask after the pixels). */
function ffmpegIcon(rgb: Buffer, width: number, height: number): Promise<Buffer> {
  return runFfmpegToFile(ffmpegImageArgs(width, height, ['-pix_fmt', 'bgra', '-c:v', 'bmp', '-f', 'ico']).slice(0, -1), 'ico', rgb);
}

async function pngOf(width: number, height: number, colour: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: colour } }).png().toBuffer();
}

describe('ICO decoder', () => {
  it('reads a 32-bit BMP entry written by ffmpeg, pixel for pixel', async () => {
    const rgb = await noisePixels(20, 10);
    const icon = decodeIco(await ffmpegIcon(rgb, 20, 10), noLimit);
    if (icon.kind !== 'bitmap') throw new Error('expected a bitmap entry');
    expect([icon.pixels.width, icon.pixels.height, icon.pixels.channels]).toEqual([20, 10, 3]);
    expect(icon.pixels.data.equals(rgb)).toBe(true);
  });

  it('makes the pixels an 8-bit entry’s AND mask marks transparent, and only those', async () => {
    // ffmpeg's 8-bit BMP, made into an icon entry by hand: height doubled, a 1-bit AND mask appended
    // (4 bytes a row, bottom row first) whose top row marks its first two pixels transparent.
    const bmp = await runFfmpeg(ffmpegImageArgs(16, 8, ['-pix_fmt', 'pal8', '-c:v', 'bmp', '-f', 'image2pipe']), Buffer.alloc(16 * 8 * 3, 0x80));
    const dib = Buffer.from(bmp.subarray(14));
    dib.writeInt32LE(16, 8);
    const mask = Buffer.alloc(4 * 8);
    mask[7 * 4] = 0b1100_0000;
    const entry = Buffer.concat([dib, mask]);
    const directory = Buffer.alloc(22);
    directory.set([0, 0, 1, 0, 1, 0, 16, 8, 0, 0, 1, 0, 8, 0]);
    directory.writeUInt32LE(entry.length, 14);
    directory.writeUInt32LE(22, 18);
    const icon = decodeIco(Buffer.concat([directory, entry]), noLimit);
    if (icon.kind !== 'bitmap') throw new Error('expected a bitmap entry');
    expect(icon.pixels.channels).toBe(4);
    const alpha = [...icon.pixels.data].filter((_value, index) => index % 4 === 3);
    expect(alpha.slice(0, 3)).toEqual([0, 0, 255]);
    expect(alpha.filter((value) => value === 0)).toHaveLength(2);
    // The colours are the bitmap's, as the BMP decoder (checked against ffmpeg) reads them.
    const colours = decodeBmp(bmp, noLimit).data;
    expect([...icon.pixels.data].filter((_value, index) => index % 4 !== 3)).toEqual([...colours]);
  });

  it('picks the entry with the most pixels, whatever their order', async () => {
    const bytes = encodeIco([
      { png: await pngOf(16, 16, '#ff0000'), width: 16, height: 16 },
      { png: await pngOf(48, 40, '#00ff00'), width: 48, height: 40 },
      { png: await pngOf(32, 32, '#0000ff'), width: 32, height: 32 },
    ]);
    const icon = decodeIco(bytes, noLimit);
    if (icon.kind !== 'png') throw new Error('expected a PNG entry');
    expect([icon.width, icon.height]).toEqual([48, 40]);
    const { data } = await sharp(icon.png).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 4)]).toEqual([0, 255, 0, 255]);
  });

  it('refuses a PNG entry whose header claims more than the pixel limit, before decoding it', async () => {
    const png = Buffer.from(await pngOf(8, 8, '#ff0000'));
    png.writeUInt32BE(60_000, 16);
    png.writeUInt32BE(60_000, 20);
    expect(() => decodeIco(encodeIco([{ png, width: 8, height: 8 }]), 1_000_000)).toThrow(/60000×60000/);
  });
});

describe('ICO encoder', () => {
  it('fits the image into 256×256 and adds the smaller standard sizes, keeping the aspect', () => {
    expect(iconBoxes(64, 48)).toEqual([64, 48, 32, 16]);
    expect(iconBoxes(1000, 500)).toEqual([256, 48, 32, 16]);
    expect(iconBoxes(10, 10)).toEqual([10]);
  });

  it('converts a 600×300 PNG into an icon whose entries are 256×128, 48×24, 32×16 and 16×8 PNGs', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeBytes(dir, 'wide.png', await pngOf(600, 300, '#336699'));
    const outputPath = join(dir, 'wide.ico');
    await imagePlugin.convert(conversionContext({ inputPath, outputPath, from: 'png', to: 'ico' }).ctx);
    const bytes = await readFile(outputPath);
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    const count = bytes.readUInt16LE(4);
    const entries = [];
    for (let index = 0; index < count; index++) {
      const at = 6 + index * 16;
      const png = bytes.subarray(bytes.readUInt32LE(at + 12), bytes.readUInt32LE(at + 12) + bytes.readUInt32LE(at + 8));
      const { info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      // The directory's one-byte sides say 0 for 256.
      expect([bytes[at] || 256, bytes[at + 1] || 256]).toEqual([info.width, info.height]);
      entries.push([info.width, info.height]);
    }
    expect(entries).toEqual([[256, 128], [48, 24], [32, 16], [16, 8]]);
  });
});
