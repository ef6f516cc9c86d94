import { describe, expect, it } from 'vitest';
import { formatFromFileName, signatureAgrees, sniffFormat } from '../src/file-signatures.js';
import { bytes, ftyp } from './signature-heads.js';

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

describe('formatFromFileName', () => {
  it('maps extensions case-insensitively, aliases included', () => {
    expect(formatFromFileName('Photo.JPG')).toBe('jpeg');
    expect(formatFromFileName('scan.tif')).toBe('tiff');
    expect(formatFromFileName('data.yml')).toBe('yaml');
    expect(formatFromFileName('archive.tar.unknown')).toBeUndefined();
    expect(formatFromFileName('no-extension')).toBeUndefined();
    expect(formatFromFileName('trailing.')).toBeUndefined();
  });
});

describe('signatureAgrees', () => {
  it('accepts the signatures a format may show, containers included', () => {
    expect(signatureAgrees('png', 'png')).toBe(true);
    expect(signatureAgrees('docx', 'zip')).toBe(true);
    expect(signatureAgrees('xls', 'cfb')).toBe(true);
    expect(signatureAgrees('ogg', 'opus')).toBe(true);
  });

  it('refuses a signature of another format, and a missing one where a signature is due', () => {
    expect(signatureAgrees('jpeg', 'png')).toBe(false);
    expect(signatureAgrees('opus', 'ogg')).toBe(false);
    expect(signatureAgrees('pdf', undefined)).toBe(false);
  });

  it('holds a format without signature (text, or one the table does not know) to bytes that show none', () => {
    expect(signatureAgrees('csv', undefined)).toBe(true);
    expect(signatureAgrees('csv', 'png')).toBe(false);
    expect(signatureAgrees('ppm', undefined)).toBe(true);
    expect(signatureAgrees('ppm', 'png')).toBe(false);
  });
});
