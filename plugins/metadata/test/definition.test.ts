import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkEdit } from '../src/editable.js';
import { encodeArgumentValue } from '../src/exiftool.js';
import metadataToolDefault, { metadataGuide, metadataTool } from '../src/index.js';
import { SectionCollector, reportCaps, toMetadataValue } from '../src/values.js';
import { listEntries, readEntryText, rewriteZip } from '../src/zip.js';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import sharp from 'sharp';
import { ffmpeg, makeJpeg, quietLog, readReport, removeWorkDirs, workDir } from './fixtures.js';

afterAll(async () => {
  await removeWorkDirs();
  await metadataTool.dispose?.();
});

describe('definition', () => {
  it('is exported both ways, with readable and writable formats among Conveyor ids', () => {
    expect(metadataToolDefault).toBe(metadataTool);
    expect(metadataTool).toMatchObject({ id: 'metadata', version: '0.1.0' });
    expect(metadataTool.readableFormats).toEqual(expect.arrayContaining(['png', 'jpeg', 'webp', 'tiff', 'gif', 'heic', 'pdf', 'docx', 'xlsx', 'pptx', 'odt', 'mp3', 'wav', 'ogg', 'opus', 'flac', 'm4a', 'aac', 'mp4', 'mov', 'webm', 'mkv']));
    expect([...metadataTool.writableFormats].sort()).toEqual(['docx', 'flac', 'jpeg', 'm4a', 'mkv', 'mov', 'mp3', 'mp4', 'odp', 'ods', 'odt', 'ogg', 'opus', 'pdf', 'png', 'pptx', 'tiff', 'webm', 'webp', 'xlsx']);
    for (const format of metadataTool.writableFormats) expect(metadataTool.readableFormats).toContain(format);
  });

  it('probes ok when exiftool runs', async () => {
    expect(await metadataTool.probe?.()).toEqual({ ok: true });
  });

  it('exports the guide as plain JSON data that names what anonymize removes', () => {
    const roundTrip = JSON.parse(JSON.stringify(metadataGuide));
    expect(roundTrip).toEqual(metadataGuide);
    expect(metadataGuide.containers.map((container) => container.section)).toEqual(expect.arrayContaining(['EXIF', 'XMP', 'IPTC', 'ICC', 'PNG', 'PDF', 'ID3', 'Vorbis', 'MP4', 'Office', 'Streams']));
    expect(metadataGuide.anonymize.images.location).toContain('GPS:all');
    expect(metadataGuide.anonymize.summary).toMatch(/keeps orientation/);
    expect(metadataGuide.writableFormats).toEqual([...metadataTool.writableFormats]);
  });

  it('refuses a format it does not know, and a write of a read-only format', async () => {
    const signal = new AbortController().signal;
    await expect(metadataTool.read({ inputPath: '/nonexistent', format: 'csv', signal, log: quietLog })).rejects.toMatchObject({ code: 'invalid_parameter' });
    await expect(metadataTool.write({ inputPath: '/nonexistent', outputPath: '/nonexistent2', format: 'gif', signal, log: quietLog, edit: { anonymize: true, strip_all: false, set: {}, remove: {} } })).rejects.toMatchObject({ code: 'invalid_parameter' });
  });

  it('does not follow a symbolic link', async () => {
    const dir = await workDir();
    const photo = await makeJpeg(dir);
    const link = join(dir, 'link.jpeg');
    await symlink(photo, link);
    await expect(readReport(link, 'jpeg')).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('an empty edit copies the file as it is', async () => {
    const dir = await workDir();
    const photo = await makeJpeg(dir);
    const outputPath = join(dir, 'copy.jpeg');
    await metadataTool.write({ inputPath: photo, outputPath, format: 'jpeg', signal: new AbortController().signal, log: quietLog, edit: { anonymize: false, strip_all: false, set: {}, remove: {} } });
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(outputPath)).toEqual(await readFile(photo));
  });
});

describe('report values', () => {
  it('summarises binary data and keeps values JSON-safe and short', () => {
    expect(toMetadataValue('(Binary data 3144 bytes, use -b option to extract)')).toBe('(binary, 3144 bytes)');
    expect(toMetadataValue(new Uint8Array(12))).toBe('(binary, 12 bytes)');
    expect(toMetadataValue({ format: 'image/jpeg', data: new Uint8Array(99) })).toBe('(binary, 99 bytes)');
    expect(toMetadataValue({ language: 'eng', description: '', text: 'a comment' })).toBe('a comment');
    expect(toMetadataValue(Number.NaN)).toBe('NaN');
    expect(toMetadataValue(new Date('2024-01-02T03:04:05Z'))).toBe('2024-01-02T03:04:05.000Z');
    expect(toMetadataValue('a\u0000b')).toBe('ab');
    const long = toMetadataValue('x'.repeat(5000)) as string;
    expect(long.length).toBeLessThan(reportCaps.maxStringLength + 40);
    expect(long).toMatch(/5000 characters\)$/);
    expect((toMetadataValue(Array.from({ length: 500 }, (_, index) => index)) as number[]).length).toBe(reportCaps.maxListItems);
  });

  it('caps the number of keys', () => {
    const collector = new SectionCollector();
    for (let index = 0; index < reportCaps.maxKeys + 50; index += 1) collector.add(`S${index % 3}`, `k${index}`, index);
    const sections = collector.result();
    expect(Object.values(sections).reduce((sum, values) => sum + Object.keys(values).length, 0)).toBe(reportCaps.maxKeys);
    expect(collector.truncated).toBe(true);
  });
});

describe('edit checks and argument safety', () => {
  const editable = { EXIF: ['Artist'], ID3: ['title'] };
  it('accepts editable keys and treats an empty string as a removal', () => {
    const checked = checkEdit({ anonymize: false, strip_all: false, set: { EXIF: { Artist: 'x' }, ID3: { title: '' } }, remove: {} }, editable, 'jpeg');
    expect(checked.set.get('EXIF')?.get('Artist')).toBe('x');
    expect([...(checked.remove.get('ID3') ?? [])]).toEqual(['title']);
  });

  it('names the key it refuses', () => {
    expect(() => checkEdit({ anonymize: false, strip_all: false, set: {}, remove: { EXIF: ['Make'] } }, editable, 'jpeg')).toThrow(/EXIF\.Make/);
    expect(() => checkEdit({ anonymize: false, strip_all: false, set: { XMP: { 'dc:Title': 'x' } }, remove: {} }, editable, 'jpeg')).toThrow(/XMP\.dc:Title/);
    expect(() => checkEdit({ anonymize: false, strip_all: false, set: { EXIF: { Artist: 'a' } }, remove: { EXIF: ['Artist'] } }, editable, 'jpeg')).toThrow(/both set and removed/);
  });

  it('encodes newlines and ampersands so a value cannot become another exiftool argument', () => {
    const encoded = encodeArgumentValue('a\n-o\n/etc/passwd & 😀');
    expect(encoded).not.toMatch(/[\r\n]/);
    expect(encoded).toBe('a&#10;-o&#10;/etc/passwd &#38; &#128512;');
  });
});

describe('zip rewrite', () => {
  it('replaces one entry, adds another and copies the rest without inflating them', async () => {
    const original = Buffer.from(zipSync({ 'a.txt': strToU8('alpha'), 'big.bin': new Uint8Array(100_000).fill(7), 'c.xml': strToU8('<c/>') }));
    const entries = listEntries(original);
    expect(entries.map((entry) => entry.name)).toEqual(['a.txt', 'big.bin', 'c.xml']);
    expect(readEntryText(original, entries[0]!)).toBe('alpha');
    const rewritten = rewriteZip(original, entries, new Map([['c.xml', '<c>new</c>'], ['d.txt', 'delta']]));
    const files = unzipSync(new Uint8Array(rewritten));
    expect(Object.keys(files)).toEqual(['a.txt', 'big.bin', 'c.xml', 'd.txt']);
    expect(strFromU8(files['c.xml']!)).toBe('<c>new</c>');
    expect(strFromU8(files['d.txt']!)).toBe('delta');
    expect(files['big.bin']!.every((byte) => byte === 7)).toBe(true);
    // The untouched entry's compressed bytes are the same bytes.
    const bigBefore = entries[1]!;
    const bigAfter = listEntries(rewritten)[1]!;
    expect(bigAfter.compressedSize).toBe(bigBefore.compressedSize);
  });

  it('a buffer that is not a zip is invalid_input', async () => {
    expect(() => listEntries(Buffer.from('not a zip'))).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('read-only formats', () => {
  it('reads GIF, WAV and AAC', async () => {
    const dir = await workDir();
    const gif = join(dir, 'anim.gif');
    await writeFile(gif, await sharp({ create: { width: 12, height: 8, channels: 3, background: '#ff0000' } }).gif().toBuffer());
    expect((await readReport(gif, 'gif')).common.dimensions).toEqual({ width: 12, height: 8 });
    const wav = join(dir, 'voice.wav');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.3', '-metadata', 'title=Memo', '-metadata', 'artist=Pat', wav]);
    const wavReport = await readReport(wav, 'wav');
    expect(wavReport.common.title).toBe('Memo');
    expect(wavReport.common.duration).toBeCloseTo(0.3, 1);
    expect(wavReport.editable).toEqual({});
    const aac = join(dir, 'voice.aac');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.3', '-c:a', 'aac', aac]);
    expect((await readReport(aac, 'aac')).sections.Streams?.['stream0.codec_name']).toBe('aac');
  });
});
