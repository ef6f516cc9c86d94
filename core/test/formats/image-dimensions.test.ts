import { describe, expect, it } from 'vitest';
import { imageDimensions } from '../../src/formats/image-dimensions.js';

const bytes = (...values: Array<number | string | Buffer>) =>
  Buffer.concat(values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.isBuffer(value) ? value : Buffer.from([value]))));
const uint16be = (value: number) => bytes(value >> 8, value & 0xff);
const uint16le = (value: number) => bytes(value & 0xff, value >> 8);
const uint32be = (value: number) => { const buffer = Buffer.alloc(4); buffer.writeUInt32BE(value); return buffer; };
const uint32le = (value: number) => { const buffer = Buffer.alloc(4); buffer.writeUInt32LE(value); return buffer; };
const int32le = (value: number) => { const buffer = Buffer.alloc(4); buffer.writeInt32LE(value); return buffer; };
const uint24le = (value: number) => bytes(value & 0xff, (value >> 8) & 0xff, value >> 16);

const png = (width: number, height: number) =>
  bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, uint32be(13), 'IHDR', uint32be(width), uint32be(height), 8, 6, 0, 0, 0);

/** A JPEG head: SOI, the given segments, then a baseline frame header and the start of a scan. */
const jpeg = (width: number, height: number, ...segments: Buffer[]) =>
  bytes(0xff, 0xd8, ...segments, 0xff, 0xc0, uint16be(17), 8, uint16be(height), uint16be(width), 3, Buffer.alloc(9), 0xff, 0xda, uint16be(12));

const segment = (marker: number, payload: Buffer) => bytes(0xff, marker, uint16be(payload.length + 2), payload);

/** An APP1 EXIF segment whose IFD0 holds one entry before Orientation, in either byte order. */
const exif = (orientation: number, littleEndian: boolean) => {
  const u16 = littleEndian ? uint16le : uint16be;
  const u32 = littleEndian ? uint32le : uint32be;
  const entry = (tag: number, value: number) => bytes(u16(tag), u16(3), u32(1), u16(value), 0, 0);
  const tiff = bytes(littleEndian ? 'II' : 'MM', u16(42), u32(8), u16(2), entry(0x010f, 0), entry(0x0112, orientation), u32(0));
  return segment(0xe1, bytes('Exif', 0, 0, tiff));
};

describe('imageDimensions', () => {
  it('reads a PNG’s IHDR', () => {
    expect(imageDimensions(png(640, 480))).toEqual({ width: 640, height: 480 });
  });

  it('reads a GIF’s logical screen', () => {
    expect(imageDimensions(bytes('GIF89a', uint16le(300), uint16le(200), 0xf7, 0, 0))).toEqual({ width: 300, height: 200 });
  });

  it('reads a BMP’s info header, top-down rows included', () => {
    const bmp = (height: number) => bytes('BM', uint32le(0), uint32le(0), uint32le(54), uint32le(40), int32le(1024), int32le(height), uint16le(1), uint16le(24));
    expect(imageDimensions(bmp(768))).toEqual({ width: 1024, height: 768 });
    expect(imageDimensions(bmp(-768))).toEqual({ width: 1024, height: 768 });
  });

  it('reads an OS/2 BMP’s 16-bit core header', () => {
    expect(imageDimensions(bytes('BM', uint32le(0), uint32le(0), uint32le(26), uint32le(12), uint16le(90), uint16le(60), uint16le(1), uint16le(24)))).toEqual({ width: 90, height: 60 });
  });

  it('reads each kind of WebP: lossy VP8, lossless VP8L and extended VP8X', () => {
    const riff = (chunk: string, payload: Buffer) => bytes('RIFF', uint32le(payload.length + 12), 'WEBP', chunk, uint32le(payload.length), payload);
    const lossy = riff('VP8 ', bytes(0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, uint16le(800), uint16le(600), Buffer.alloc(8)));
    expect(imageDimensions(lossy)).toEqual({ width: 800, height: 600 });
    // 14 bits of width - 1, then 14 bits of height - 1, least significant first.
    const packed = (400 - 1) | ((300 - 1) << 14);
    expect(imageDimensions(riff('VP8L', bytes(0x2f, uint32le(packed), Buffer.alloc(8))))).toEqual({ width: 400, height: 300 });
    expect(imageDimensions(riff('VP8X', bytes(0x10, 0, 0, 0, uint24le(4999), uint24le(2999), Buffer.alloc(4))))).toEqual({ width: 5000, height: 3000 });
  });

  it('reads a JPEG’s frame header past the segments before it', () => {
    const jfif = segment(0xe0, bytes('JFIF', 0, 1, 1, 0, uint16be(1), uint16be(1), 0, 0));
    const comment = segment(0xfe, Buffer.from('made in a test'));
    expect(imageDimensions(jpeg(1920, 1080, jfif, comment))).toEqual({ width: 1920, height: 1080 });
  });

  it('swaps a JPEG’s width and height when its EXIF orientation is a quarter turn, in either byte order', () => {
    expect(imageDimensions(jpeg(4032, 3024, exif(6, false)))).toEqual({ width: 3024, height: 4032 });
    expect(imageDimensions(jpeg(4032, 3024, exif(8, true)))).toEqual({ width: 3024, height: 4032 });
    expect(imageDimensions(jpeg(4032, 3024, exif(3, true)))).toEqual({ width: 4032, height: 3024 });
  });

  it('gives no dimensions for a JPEG whose frame header is not in the head', () => {
    expect(imageDimensions(bytes(0xff, 0xd8, 0xff, 0xe1, uint16be(5000), Buffer.alloc(100)))).toBeUndefined();
    expect(imageDimensions(bytes(0xff, 0xd8, 0xff, 0xda, uint16be(12), Buffer.alloc(20)))).toBeUndefined();
  });

  it('gives no dimensions for a truncated header, a zero size or a format it does not read', () => {
    expect(imageDimensions(png(640, 480).subarray(0, 20))).toBeUndefined();
    expect(imageDimensions(png(0, 480))).toBeUndefined();
    expect(imageDimensions(Buffer.from('%PDF-1.7\n'))).toBeUndefined();
    expect(imageDimensions(new Uint8Array())).toBeUndefined();
  });
});
