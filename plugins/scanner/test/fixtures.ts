import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import * as mupdf from 'mupdf';
import sharp from 'sharp';
import { run } from './helpers.js';

/** The EICAR anti-virus test file, written out here rather than imported from the code under test. */
export const eicar = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1');

/** A small photo-like picture: a gradient with noise, so the encoders have something real to encode. */
export async function pictureOf(format: 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'avif', width = 64, height = 48): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let index = 0; index < width * height; index++) {
    const x = index % width;
    const y = Math.floor(index / width);
    pixels[index * 3] = (x * 255) / width;
    pixels[index * 3 + 1] = (y * 255) / height;
    pixels[index * 3 + 2] = (x * y * 7 + index * 13) & 0xff;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).toFormat(format).toBuffer();
}

/** A 24-bit bottom-up BMP; `declared` overrides the size its header states (pixels stay `width`×`height`). */
export function bmp(width: number, height: number, declared?: { width: number; height: number }): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + rowBytes * height, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(declared?.width ?? width, 18);
  header.writeInt32LE(declared?.height ?? height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(rowBytes * height, 34);
  return Buffer.concat([header, Buffer.alloc(rowBytes * height, 0x80)]);
}

/** An icon whose one entry is a PNG (the entry's own size bytes say 0, as for 256 and larger). */
export function icoWithPng(png: Buffer): Buffer {
  const header = Buffer.from([0, 0, 1, 0, 1, 0]);
  const entry = Buffer.alloc(16);
  entry.writeUInt16LE(1, 4);
  entry.writeUInt16LE(32, 6);
  entry.writeUInt32LE(png.length, 8);
  entry.writeUInt32LE(22, 12);
  return Buffer.concat([header, entry, png]);
}

function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

function u32(...values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => bytes.writeUInt32BE(value, index * 4));
  return bytes;
}

/**
 * The HEIF structure a HEIC file opens with (ftyp, then meta with its ispe property) and an
 * mdat: what the scanner reads of one. No HEVC encoder makes real ones here.
 */
export function heicHeader(width: number, height: number): Buffer {
  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
  const hdlr = box('hdlr', u32(0, 0), Buffer.from('pict', 'latin1'), u32(0, 0, 0), Buffer.from([0]));
  const ispe = box('ispe', u32(0, width, height));
  const meta = box('meta', u32(0), hdlr, box('iprp', box('ipco', ispe)));
  return Buffer.concat([ftyp, meta, box('mdat', Buffer.alloc(64, 0x11))]);
}

/** A PDF of `pages` pages with a line of text each, made by MuPDF. */
export function pdfWithPages(pages: number): Buffer {
  const doc = new mupdf.PDFDocument();
  try {
    const font = doc.addSimpleFont(new mupdf.Font('Helvetica'));
    for (let index = 0; index < pages; index++) {
      const resources = doc.addObject({ Font: { F1: font } });
      const page = doc.addPage([0, 0, 300, 200], 0, resources, `BT /F1 14 Tf 20 100 Td (Page ${index + 1} of a scanner fixture) Tj ET`);
      doc.insertPage(-1, page);
    }
    return Buffer.from(doc.saveToBuffer('compress').asUint8Array());
  } finally {
    doc.destroy();
  }
}

/** An audio or video file made by ffmpeg from a test source, `seconds` long. */
export async function mediaFile(folder: string, format: string, seconds: number): Promise<Buffer> {
  const audio = ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`];
  const video = ['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${seconds}`];
  const recipes: Record<string, string[]> = {
    mp3: [...audio, '-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
    wav: [...audio, '-c:a', 'pcm_s16le', '-f', 'wav'],
    flac: [...audio, '-c:a', 'flac', '-f', 'flac'],
    ogg: [...audio, '-c:a', 'libvorbis', '-f', 'ogg'],
    opus: [...audio, '-c:a', 'libopus', '-f', 'ogg'],
    m4a: [...audio, '-c:a', 'aac', '-f', 'ipod'],
    mp4: [...video, ...audio, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-f', 'mp4'],
    webm: [...video, ...audio, '-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '200k', '-c:a', 'libopus', '-shortest', '-f', 'webm'],
  };
  const recipe = recipes[format];
  if (!recipe) throw new Error(`no ffmpeg recipe for ${format}`);
  const output = join(folder, `made-by-ffmpeg-${format}-${seconds}-${Date.now()}.${format}`);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...recipe, output]);
  return readFileSync(output);
}

/** A raw deflate of `bytes`, as a zip entry stores it. */
export function deflated(bytes: Uint8Array): Buffer {
  return deflateRawSync(bytes, { level: 9 });
}
