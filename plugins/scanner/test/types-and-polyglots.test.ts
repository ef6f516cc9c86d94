import { describe, expect, it } from 'vitest';
import { pdfWithPages, pictureOf } from './fixtures.js';
import { fixtureFolder, scanBytes } from './helpers.js';
import { docx, zip } from './zip-fixtures.js';
import { strToU8 } from 'fflate';

const folder = fixtureFolder();

function rejectedFor(pattern: RegExp) {
  return { verdict: 'rejected', engine: 'builtin', reason: expect.stringMatching(pattern) };
}

/** A PNG with a chunk of `type` holding `text`, placed right after the header. */
async function pngWithChunk(type: string, text: string): Promise<Buffer> {
  const png = await pictureOf('png');
  const data = Buffer.from(text, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  data.copy(chunk, 8);
  // The CRC is not checked by the scanner; a viewer would skip a bad ancillary chunk.
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

/** A JPEG with a comment segment holding `text` right after its SOI marker. */
async function jpegWithComment(text: string): Promise<Buffer> {
  const jpeg = await pictureOf('jpeg');
  const data = Buffer.from(text, 'latin1');
  const segment = Buffer.alloc(4 + data.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(data.length + 2, 2);
  data.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

describe('the content must agree with the declared type and the name', () => {
  it('a PNG handed over as a JPEG is rejected', async () => {
    expect(await scanBytes(folder, await pictureOf('png'), 'jpeg', 'photo.jpg')).toEqual(rejectedFor(/content \(png\) does not match the declared format jpeg/));
  });

  it('a PNG named .jpg is rejected even when handled as a PNG', async () => {
    expect(await scanBytes(folder, await pictureOf('png'), 'png', 'photo.jpg')).toEqual(rejectedFor(/does not match the file name "photo.jpg"/));
  });

  it('binary content declared as text is rejected', async () => {
    expect(await scanBytes(folder, pdfWithPages(1), 'csv', 'data.csv')).toEqual(rejectedFor(/content \(pdf\) does not match the declared format csv/));
  });

  it('text declared as an image is rejected', async () => {
    expect(await scanBytes(folder, Buffer.from('just some words'), 'png', 'image.png')).toEqual(rejectedFor(/no known signature/));
  });

  it('a name the scanner does not know does not matter; the format does', async () => {
    expect(await scanBytes(folder, await pictureOf('png'), 'png', 'upload.bin')).toMatchObject({ verdict: 'clean' });
  });

  it('executables are rejected under any name', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
    expect(await scanBytes(folder, elf, 'txt', 'notes.txt')).toEqual(rejectedFor(/ELF executable/));
    const pe = Buffer.alloc(256);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.write('PE\0\0', 0x80, 'latin1');
    expect(await scanBytes(folder, pe, 'txt', 'readme.txt')).toEqual(rejectedFor(/Windows PE executable/));
  });

  it('a text that merely starts with MZ is not an executable', async () => {
    expect(await scanBytes(folder, Buffer.from('MZ Motors,12\n'.repeat(20)), 'csv', 'dealers.csv')).toMatchObject({ verdict: 'clean' });
  });
});

describe('polyglots are rejected', () => {
  it('a PNG with a ZIP (or JAR) appended', async () => {
    const jar = zip({ 'META-INF/MANIFEST.MF': strToU8('Manifest-Version: 1.0\nMain-Class: Evil\n'), 'Evil.class': Buffer.alloc(200, 0xca) });
    expect(await scanBytes(folder, Buffer.concat([await pictureOf('png'), jar]), 'png', 'avatar.png')).toEqual(rejectedFor(/ZIP archive is hidden inside the png image/));
  });

  it('a JPEG with a ZIP whose end record was cut off (only its entries remain)', async () => {
    const archive = zip({ 'payload.txt': strToU8('secret') });
    const entriesOnly = archive.subarray(0, archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    expect(await scanBytes(folder, Buffer.concat([await pictureOf('jpeg'), entriesOnly]), 'jpeg', 'photo.jpg')).toEqual(rejectedFor(/ZIP archive is hidden/));
  });

  it('a GIF with a ZIP appended', async () => {
    const archive = zip({ 'a.html': strToU8('<b>hi</b>') });
    expect(await scanBytes(folder, Buffer.concat([await pictureOf('gif'), archive]), 'gif', 'anim.gif')).toMatchObject({ verdict: 'rejected' });
  });

  it('a PDF with a ZIP appended (found by the zip directory at its end)', async () => {
    const archive = zip({ 'x.txt': strToU8('x') });
    expect(await scanBytes(folder, Buffer.concat([pdfWithPages(1), archive]), 'pdf', 'doc.pdf')).toEqual(rejectedFor(/also reads as a ZIP archive/));
  });

  it('an MP3-looking file that ends in a zip directory', async () => {
    const archive = zip({ 'x.txt': strToU8('x') });
    const mp3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.alloc(500, 0x55), archive]);
    expect(await scanBytes(folder, mp3, 'mp3', 'song.mp3')).toEqual(rejectedFor(/also reads as a ZIP archive/));
  });

  it('a JPEG with a %PDF- header in its first 1024 bytes', async () => {
    const jpeg = await jpegWithComment('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj');
    expect(await scanBytes(folder, jpeg, 'jpeg', 'photo.jpg')).toEqual(rejectedFor(/also reads as a PDF \(a %PDF- header at byte \d+\)/));
  });

  it('a text file with a %PDF- header in its first bytes', async () => {
    expect(await scanBytes(folder, Buffer.from('hello\n%PDF-1.4\n%âãÏÓ\n'), 'txt', 'hello.txt')).toEqual(rejectedFor(/also reads as a PDF/));
  });

  it('a docx whose first bytes hold a PDF header outside any stored entry', async () => {
    const document = docx(['x']);
    const polyglot = Buffer.from(document);
    // Inside the first entry's file name field: a zip reader does not care, a PDF reader finds its header.
    const nameAt = 30;
    polyglot.write('%PDF-', nameAt, 'latin1');
    expect(await scanBytes(folder, polyglot, 'docx', 'report.docx')).toEqual(rejectedFor(/also reads as a PDF/));
  });

  it.each([
    ['<script>alert(1)</script>', /<script> markup/],
    ['<html><body onload=alert(1)>', /<html> markup/],
    ['<?php system($_GET["c"]); ?>', /<\?php> markup/],
  ])('a PNG carrying %s in its first bytes', async (payload, reason) => {
    expect(await scanBytes(folder, await pngWithChunk('tEXt', `Comment\0${payload}`), 'png', 'image.png')).toEqual(rejectedFor(reason));
  });

  it('a JPEG carrying an HTML page in a comment', async () => {
    expect(await scanBytes(folder, await jpegWithComment('<!DOCTYPE html><iframe src=x>'), 'jpeg', 'x.jpg')).toEqual(rejectedFor(/<!doctype html> markup/));
  });

  it('an image with ordinary metadata text is not mistaken for one', async () => {
    const xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description dc:creator="Ada"/></rdf:RDF></x:xmpmeta>';
    expect(await scanBytes(folder, await pngWithChunk('iTXt', `XML:com.adobe.xmp\0\0\0\0\0${xmp}`), 'png', 'meta.png')).toMatchObject({ verdict: 'clean' });
  });
});
