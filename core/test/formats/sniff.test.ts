import type { Format } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { detectFormat, formatFromFileName, mimeOfFormat, sniffFormat } from '../../src/formats/sniff.js';

const bytes = (...values: Array<number | string>) =>
  Buffer.concat(values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from([value]))));

/** An ISO base media `ftyp` box with a major brand and compatible brands. */
const ftyp = (major: string, ...compatible: string[]) => {
  const size = 16 + 4 * compatible.length;
  return bytes(0, 0, 0, size, 'ftyp', major, 0, 0, 0, 0, ...compatible);
};

describe('sniffFormat', () => {
  const cases: Array<[string, Buffer]> = [
    ['png', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'IHDR')],
    ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 'JFIF')],
    ['gif', bytes('GIF89a', 1, 0)],
    ['gif', bytes('GIF87a', 1, 0)],
    ['webp', bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 ')],
    ['wav', bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt ')],
    ['avif', ftyp('avif', 'mif1', 'miaf')],
    ['avif', ftyp('avis', 'msf1')],
    ['avif', ftyp('mif1', 'avif', 'miaf')],
    ['heic', ftyp('heic', 'mif1', 'heic')],
    ['heic', ftyp('heix', 'mif1')],
    ['heic', ftyp('mif1', 'heic')],
    ['mp4', ftyp('isom', 'iso2', 'avc1', 'mp41')],
    ['m4a', ftyp('M4A ', 'isom')],
    ['mov', ftyp('qt  ')],
    ['tiff', bytes('II', 0x2a, 0, 8, 0, 0, 0)],
    ['tiff', bytes('MM', 0, 0x2a, 0, 0, 0, 8)],
    ['bmp', bytes('BM', 0x36, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0)],
    ['pdf', bytes('%PDF-1.7\n')],
    ['zip', bytes('PK', 3, 4, 20, 0)],
    ['zip', bytes('PK', 5, 6, 0, 0)],
    ['mp3', bytes('ID3', 4, 0, 0)],
    ['mp3', bytes(0xff, 0xfb, 0x90, 0x64)],
    ['ogg', bytes('OggS', 0, 2)],
    ['ogg', bytes('OggS', 0, 2, ...Array<number>(22).fill(0), 0x01, 'vorbis')],
    ['opus', bytes('OggS', 0, 2, ...Array<number>(22).fill(0), 'OpusHead')],
    ['aac', bytes(0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc)],
    ['cfb', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0)],
    ['rtf', bytes('{\\rtf1\\ansi ')],
    ['ico', bytes(0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0, 0x68, 4, 0, 0, 22, 0, 0, 0)],
    ['flac', bytes('fLaC', 0, 0, 0, 34)],
    ['webm', bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 1, 0x42, 0x82, 0x84, 'webm')],
    ['mkv', bytes(0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x86, 0x81, 1, 0x42, 0x82, 0x88, 'matroska')],
  ];
  it.each(cases)('recognises %s', (format, head) => {
    expect(sniffFormat(head)).toBe(format);
  });

  it('recognises nothing in text, short or empty input', () => {
    expect(sniffFormat(Buffer.from('a,b,c\n1,2,3\n'))).toBeUndefined();
    expect(sniffFormat(Buffer.from('BMW is a car brand'))).toBeUndefined();
    expect(sniffFormat(bytes(0x89, 'PN'))).toBeUndefined();
    expect(sniffFormat(Buffer.alloc(0))).toBeUndefined();
  });

  it('does not take AAC (layer 0) or a bad bitrate for MPEG audio', () => {
    expect(sniffFormat(bytes(0xff, 0xf1, 0x50, 0x80))).not.toBe('mp3');
    expect(sniffFormat(bytes(0xff, 0xfb, 0xf0, 0x00))).toBeUndefined();
  });
});

describe('formatFromFileName and mimeOfFormat', () => {
  it('maps extensions case-insensitively, aliases included', () => {
    expect(formatFromFileName('Photo.JPG')).toBe('jpeg');
    expect(formatFromFileName('scan.tif')).toBe('tiff');
    expect(formatFromFileName('data.yml')).toBe('yaml');
    expect(formatFromFileName('archive.tar.unknown')).toBeUndefined();
    expect(formatFromFileName('no-extension')).toBeUndefined();
    expect(formatFromFileName('trailing.')).toBeUndefined();
  });

  it('knows the usual MIME types', () => {
    expect(mimeOfFormat('png')).toBe('image/png');
    expect(mimeOfFormat('nope')).toBe('application/octet-stream');
  });
});

describe('detectFormat', () => {
  const png = bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a);
  const zip = bytes('PK', 3, 4);
  const compoundFile = bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0);

  it('takes a legacy Office file for what its name says, and an unnamed one for nothing', () => {
    expect(detectFormat(compoundFile, 'budget.xls')).toMatchObject({ outcome: 'detected', format: 'xls' });
    expect(detectFormat(compoundFile, 'letter.doc')).toMatchObject({ outcome: 'detected', format: 'doc' });
    expect(detectFormat(compoundFile, 'deck.ppt')).toMatchObject({ outcome: 'detected', format: 'ppt' });
    expect(detectFormat(compoundFile, 'upload')).toEqual({ outcome: 'unknown' });
    expect(detectFormat(compoundFile, 'letter.docx')).toMatchObject({ outcome: 'mismatch', declared: 'docx', sniffed: 'cfb' });
  });

  it('accepts Opus in an .ogg but not Vorbis in an .opus', () => {
    const opus = bytes('OggS', 0, 2, ...Array<number>(22).fill(0), 'OpusHead');
    const vorbis = bytes('OggS', 0, 2, ...Array<number>(22).fill(0), 0x01, 'vorbis');
    expect(detectFormat(opus, 'voice.ogg')).toMatchObject({ outcome: 'detected', format: 'ogg' });
    expect(detectFormat(opus, 'voice.opus')).toMatchObject({ outcome: 'detected', format: 'opus' });
    expect(detectFormat(vorbis, 'voice.opus')).toMatchObject({ outcome: 'mismatch', declared: 'opus', sniffed: 'ogg' });
  });

  it('tells .heif from .heic by name, the content being the same container', () => {
    expect(detectFormat(ftyp('mif1', 'heic'), 'photo.heif')).toMatchObject({ outcome: 'detected', format: 'heif', mime: 'image/heif' });
    expect(detectFormat(ftyp('mif1', 'heic'), 'photo.HEIC')).toMatchObject({ outcome: 'detected', format: 'heic' });
  });

  it('trusts matching content and name', () => {
    expect(detectFormat(png, 'a.png')).toEqual({ outcome: 'detected', format: 'png', mime: 'image/png' });
  });

  it('sniffs when the name says nothing', () => {
    expect(detectFormat(png, 'upload')).toEqual({ outcome: 'detected', format: 'png', mime: 'image/png' });
  });

  it('lets the name refine a container', () => {
    expect(detectFormat(zip, 'report.docx')).toMatchObject({ outcome: 'detected', format: 'docx' });
    expect(detectFormat(ftyp('isom'), 'song.m4a')).toMatchObject({ outcome: 'detected', format: 'm4a' });
  });

  it('falls back to the extension for formats without a signature', () => {
    expect(detectFormat(Buffer.from('a,b\n'), 'table.csv')).toEqual({ outcome: 'detected', format: 'csv', mime: 'text/csv' });
  });

  it('reports a name the content contradicts', () => {
    expect(detectFormat(png, 'photo.jpg')).toEqual({ outcome: 'mismatch', declared: 'jpeg', sniffed: 'png' });
    expect(detectFormat(Buffer.from('hello'), 'photo.png')).toEqual({ outcome: 'mismatch', declared: 'png', sniffed: undefined });
    expect(detectFormat(png, 'table.csv')).toEqual({ outcome: 'mismatch', declared: 'csv', sniffed: 'png' });
  });

  it('gives up when neither content nor name says anything', () => {
    expect(detectFormat(Buffer.from('hello'), 'mystery')).toEqual({ outcome: 'unknown' });
  });
});

describe('detectFormat with formats that plugins declare', () => {
  const ppm: Format = { id: 'ppm', name: 'Portable Pixmap', mime: 'image/x-portable-pixmap', extensions: ['ppm', 'pnm'], category: 'image' };
  const ppmHead = Buffer.from('P6\n40 30\n255\n', 'latin1');

  it('recognises an introduced format by its declared extension, with its declared MIME type', () => {
    expect(detectFormat(ppmHead, 'scan.PNM', [ppm])).toEqual({ outcome: 'detected', format: 'ppm', mime: 'image/x-portable-pixmap' });
  });

  it('does not know the extension unless a plugin declares it', () => {
    expect(detectFormat(ppmHead, 'scan.ppm')).toEqual({ outcome: 'unknown' });
  });

  it('reports a mismatch when the content has a signature the introduced format does not', () => {
    const png = bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a);
    expect(detectFormat(png, 'scan.ppm', [ppm])).toEqual({ outcome: 'mismatch', declared: 'ppm', sniffed: 'png' });
  });

  it('keeps its own formats and extensions: a plugin cannot take over .png or redefine png', () => {
    const impostor: Format = { id: 'fake', name: 'Fake', mime: 'application/x-fake', extensions: ['png'], category: 'other' };
    const redefinedPng: Format = { id: 'png', name: 'PNG', mime: 'image/x-other-png', extensions: ['png'], category: 'image' };
    expect(detectFormat(ppmHead, 'scan.png', [impostor, redefinedPng])).toEqual({ outcome: 'mismatch', declared: 'png', sniffed: undefined });
    expect(detectFormat(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a), 'a.png', [redefinedPng])).toMatchObject({ format: 'png', mime: 'image/png' });
  });
});
