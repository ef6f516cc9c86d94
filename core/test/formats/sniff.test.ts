import type { Format } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { bytes, ftyp } from '../../../contracts/test/signature-heads.js';
import { detectFormat, mimeOfFormat } from '../../src/formats/sniff.js';

describe('mimeOfFormat', () => {
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
