import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginError } from '@conveyor/contracts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataTool } from '../src/index.js';
import { exiftoolTags, makeImage, makeJpeg, makePng, quietLog, readReport, removeWorkDirs, rewrite, workDir } from './fixtures.js';

let dir: string;
let jpeg: string;
let png: string;

beforeAll(async () => {
  dir = await workDir();
  [jpeg, png] = await Promise.all([makeJpeg(dir), makePng(dir)]);
});
afterAll(async () => {
  await removeWorkDirs();
  await metadataTool.dispose?.();
});

function gpsKeys(tags: Record<string, unknown>): string[] {
  return Object.keys(tags).filter((key) => /GPS/i.test(key));
}

async function pixels(path: string): Promise<Buffer> {
  return sharp(path).raw().toBuffer();
}

describe('JPEG', () => {
  it('reads EXIF, XMP, IPTC and ICC, and normalises the common fields', async () => {
    const report = await readReport(jpeg, 'jpeg');
    expect(report.containers).toEqual(expect.arrayContaining(['EXIF', 'XMP', 'IPTC', 'ICC']));
    expect(report.sections.EXIF).toMatchObject({ Artist: 'Alice Example', SerialNumber: 'SN-998877', Software: 'PhotoTool 3.1', Orientation: 'Rotate 90 CW' });
    expect(report.sections.XMP).toMatchObject({ 'dc:Title': 'Eiffel', 'dc:Creator': 'Alice Example' });
    expect(report.sections.IPTC).toMatchObject({ 'By-line': 'Alice Example', ObjectName: 'Eiffel' });
    expect(report.sections.ICC?.ProfileDescription).toMatch(/sRGB/i);
    expect(report.common).toMatchObject({ title: 'Eiffel', author: 'Alice Example', software: 'PhotoTool 3.1', camera: 'Canon EOS 5D', created: '2024-05-01T12:30:00', dimensions: { width: 40, height: 30 } });
    expect(report.common.gps?.latitude).toBeCloseTo(48.8584, 4);
    expect(report.common.gps?.longitude).toBeCloseTo(2.2945, 4);
    expect(report.common.gps?.altitude).toBeCloseTo(35, 1);
    expect(report.editable.EXIF).toContain('Artist');
    expect(report.editable.XMP).toContain('dc:Title');
    expect(report.editable.IPTC).toContain('By-line');
    // Nothing about the job folder: no file names, directories or permissions.
    expect(JSON.stringify(report)).not.toContain(dir);
  });

  it('sets values that read back the same, and removes others', async () => {
    const output = await rewrite(jpeg, 'jpeg', {
      set: { EXIF: { Artist: 'Zoë Ñandú', ImageDescription: 'line one\nline two & more' }, XMP: { 'dc:Title': 'New title' }, IPTC: { Headline: 'Breaking' } },
      remove: { EXIF: ['Copyright'], IPTC: ['ObjectName'] },
    });
    const report = await readReport(output, 'jpeg');
    expect(report.sections.EXIF?.Artist).toBe('Zoë Ñandú');
    expect(report.sections.EXIF?.ImageDescription).toBe('line one\nline two & more');
    expect(report.sections.XMP?.['dc:Title']).toBe('New title');
    expect(report.sections.IPTC?.Headline).toBe('Breaking');
    expect(report.sections.EXIF).not.toHaveProperty('Copyright');
    expect(report.sections.IPTC).not.toHaveProperty('ObjectName');
    // The rest is untouched, and so are the pixels.
    expect(report.sections.EXIF?.SerialNumber).toBe('SN-998877');
    expect(await pixels(output)).toEqual(await pixels(jpeg));
    // An independent read of the bytes agrees.
    const tags = await exiftoolTags(output);
    expect(tags['EXIF:Artist']).toBe('Zoë Ñandú');
    expect(tags['XMP:Title']).toBe('New title');
  });

  it('sets and removes a GPS position with its hemisphere', async () => {
    const moved = await rewrite(jpeg, 'jpeg', { set: { EXIF: { GPSLatitude: -33.8568, GPSLongitude: 151.2153 } } });
    const report = await readReport(moved, 'jpeg');
    expect(report.common.gps?.latitude).toBeCloseTo(-33.8568, 4);
    expect(report.common.gps?.longitude).toBeCloseTo(151.2153, 4);
    const removed = await rewrite(jpeg, 'jpeg', { remove: { EXIF: ['GPSLatitude', 'GPSLongitude', 'GPSAltitude'] } });
    const after = await readReport(removed, 'jpeg');
    expect(after.common.gps).toBeUndefined();
    expect(after.sections.EXIF).not.toHaveProperty('GPSLatitudeRef');
  });

  it('anonymize removes GPS, serials, names, software and history, and keeps orientation and the ICC profile', async () => {
    const output = await rewrite(jpeg, 'jpeg', { anonymize: true });
    const report = await readReport(output, 'jpeg');
    expect(report.common.gps).toBeUndefined();
    expect(report.common.author).toBeUndefined();
    expect(report.common.software).toBeUndefined();
    const tags = await exiftoolTags(output);
    expect(gpsKeys(tags)).toEqual([]);
    for (const value of Object.values(tags)) {
      expect(String(value)).not.toMatch(/Alice|SN-998877|LENS-1234|PhotoTool|xmp\.did|ExifTool/);
    }
    expect(tags['EXIF:Orientation']).toBe(6);
    expect(tags['ICC_Profile:ProfileDescription']).toMatch(/sRGB/i);
    // What is neither personal nor software stays.
    expect(report.common).toMatchObject({ title: 'Eiffel', camera: 'Canon EOS 5D', created: '2024-05-01T12:30:00' });
    expect(report.sections.EXIF?.ImageDescription).toBe('Tower at noon');
    expect(await pixels(output)).toEqual(await pixels(jpeg));
  });

  it('strip_all leaves nothing but orientation and the ICC profile', async () => {
    const output = await rewrite(jpeg, 'jpeg', { strip_all: true });
    const report = await readReport(output, 'jpeg');
    expect(report.sections).not.toHaveProperty('XMP');
    expect(report.sections).not.toHaveProperty('IPTC');
    expect(report.sections.EXIF?.Orientation).toBe('Rotate 90 CW');
    expect(report.sections.ICC?.ProfileDescription).toMatch(/sRGB/i);
    const tags = await exiftoolTags(output);
    const exifKeys = Object.keys(tags).filter((key) => key.startsWith('EXIF:'));
    // Orientation, and the structural tags exiftool must write with any EXIF (positioning).
    expect(exifKeys.filter((key) => !['EXIF:Orientation', 'EXIF:YCbCrPositioning', 'EXIF:XResolution', 'EXIF:YResolution', 'EXIF:ResolutionUnit'].includes(key))).toEqual([]);
    expect(Object.keys(report.common).sort()).toEqual(['dimensions']);
  });

  it('strip_all with set keeps the value set', async () => {
    const output = await rewrite(jpeg, 'jpeg', { strip_all: true, set: { XMP: { 'dc:Title': 'Only this' } } });
    const report = await readReport(output, 'jpeg');
    expect(report.sections.XMP).toEqual({ 'dc:Title': 'Only this' });
    expect(report.sections.EXIF).not.toHaveProperty('Artist');
  });

  it('rejects a key that is not editable, naming it, and writes nothing', async () => {
    const outputPath = join(dir, 'refused.jpeg');
    const attempt = metadataTool.write({ inputPath: jpeg, outputPath, format: 'jpeg', signal: new AbortController().signal, log: quietLog, edit: { anonymize: false, strip_all: false, set: { EXIF: { ExifVersion: '0300' } }, remove: {} } });
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_parameter', message: expect.stringContaining('EXIF.ExifVersion') });
    const unknownSection = metadataTool.write({ inputPath: jpeg, outputPath, format: 'jpeg', signal: new AbortController().signal, log: quietLog, edit: { anonymize: false, strip_all: false, set: {}, remove: { PDF: ['Title'] } } });
    await expect(unknownSection).rejects.toMatchObject({ code: 'invalid_parameter', message: expect.stringContaining('PDF.Title') });
    await expect(access(outputPath)).rejects.toThrow();
  });

  it('turns a malformed date into invalid_parameter', async () => {
    const attempt = rewrite(jpeg, 'jpeg', { set: { EXIF: { DateTimeOriginal: 'yesterday' } } });
    await expect(attempt).rejects.toBeInstanceOf(PluginError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_parameter' });
  });
});

describe('PNG', () => {
  it('reads text chunks and EXIF', async () => {
    const report = await readReport(png, 'png');
    expect(report.sections.PNG).toMatchObject({ Title: 'Blue square', Author: 'Bob Painter', Software: 'Paint 9', Comment: 'draft two' });
    expect(report.common).toMatchObject({ title: 'Blue square', author: 'Bob Painter', software: 'Paint 9' });
    expect(report.common.gps?.latitude).toBeCloseTo(-10, 4);
    expect(report.editable.PNG).toContain('Title');
  });

  it('sets a text chunk and removes another', async () => {
    const output = await rewrite(png, 'png', { set: { PNG: { Title: 'Renamed', Description: 'A square' } }, remove: { PNG: ['Comment'] } });
    const report = await readReport(output, 'png');
    expect(report.sections.PNG).toMatchObject({ Title: 'Renamed', Description: 'A square' });
    expect(report.sections.PNG).not.toHaveProperty('Comment');
    expect(await pixels(output)).toEqual(await pixels(png));
  });

  it('anonymize and strip_all keep the colour profile and orientation', async () => {
    for (const edit of [{ anonymize: true }, { strip_all: true }]) {
      const output = await rewrite(png, 'png', edit);
      const report = await readReport(output, 'png');
      expect(report.common.author).toBeUndefined();
      expect(report.common.software).toBeUndefined();
      expect(report.common.gps).toBeUndefined();
      expect(report.sections.ICC?.ProfileDescription).toMatch(/sRGB/i);
      expect(report.sections.EXIF?.Orientation).toBe('Rotate 180');
      if (edit.strip_all) expect(report.sections.PNG).not.toHaveProperty('Title');
      else expect(report.sections.PNG?.Title).toBe('Blue square');
      expect(await pixels(output)).toEqual(await pixels(png));
    }
  });
});

describe.each(['webp', 'tiff'] as const)('%s', (format) => {
  it('sets, removes and anonymizes', async () => {
    const input = await makeImage(dir, format);
    const before = await readReport(input, format);
    expect(before.common).toMatchObject({ author: 'Carol', software: 'Editor 1', title: 'Square' });
    const edited = await readReport(await rewrite(input, format, { set: { EXIF: { Artist: 'Dora' } }, remove: { XMP: ['dc:Title'] } }), format);
    expect(edited.sections.EXIF?.Artist).toBe('Dora');
    expect(edited.common.title).toBeUndefined();
    const anonymous = await readReport(await rewrite(input, format, { anonymize: true }), format);
    expect(anonymous.common.author).toBeUndefined();
    expect(anonymous.common.software).toBeUndefined();
    expect(anonymous.sections.ICC?.ProfileDescription).toMatch(/sRGB/i);
  });
});

describe('bad input', () => {
  it('a file that is not the format it claims is invalid_input', async () => {
    const fake = join(dir, 'fake.jpeg');
    await writeFile(fake, 'this is not a jpeg at all');
    await expect(readReport(fake, 'jpeg')).rejects.toMatchObject({ code: 'invalid_input' });
    const outputPath = join(dir, 'fake-out.jpeg');
    await expect(metadataTool.write({ inputPath: fake, outputPath, format: 'jpeg', signal: new AbortController().signal, log: quietLog, edit: { anonymize: true, strip_all: false, set: {}, remove: {} } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(access(outputPath)).rejects.toThrow();
  });

  it('an aborted signal is cancelled, with no output', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readReport(jpeg, 'jpeg', controller.signal)).rejects.toMatchObject({ code: 'cancelled' });
    const outputPath = join(dir, 'cancelled.jpeg');
    await expect(metadataTool.write({ inputPath: jpeg, outputPath, format: 'jpeg', signal: controller.signal, log: quietLog, edit: { anonymize: true, strip_all: false, set: {}, remove: {} } })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(access(outputPath)).rejects.toThrow();
  });
});
