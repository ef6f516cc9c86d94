import { readFile } from 'node:fs/promises';
import { PDFDict, PDFDocument, PDFHexString, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataTool } from '../src/index.js';
import { exiftoolCli, exiftoolTags, makePdf, readReport, removeWorkDirs, rewrite, workDir } from './fixtures.js';

let pdf: string;

beforeAll(async () => {
  pdf = await makePdf(await workDir());
});
afterAll(async () => {
  await removeWorkDirs();
  await metadataTool.dispose?.();
});

/** Every text string in every object of the file, as pdf-lib parses it (old revisions included). */
async function allStrings(path: string): Promise<string[]> {
  const doc = await PDFDocument.load(await readFile(path), { updateMetadata: false });
  const found: string[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue;
    for (const [, value] of object.entries()) if (value instanceof PDFHexString || value instanceof PDFString) found.push(value.decodeText());
  }
  return found;
}

describe('PDF', () => {
  it('reads the information dictionary', async () => {
    const report = await readReport(pdf, 'pdf');
    expect(report.sections.PDF).toMatchObject({ Title: 'Quarterly Report', Author: 'Hank Writer', Subject: 'Numbers', Creator: 'WordThing 7', Producer: 'PDFMaker 2', PageCount: 2 });
    expect(report.common).toMatchObject({ title: 'Quarterly Report', author: 'Hank Writer', software: 'WordThing 7' });
    expect(report.common.created).toMatch(/^2023-03-04T05:06:07/);
    expect(report.editable.PDF).toEqual(expect.arrayContaining(['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer']));
  });

  it('sets and removes values, without pdf-lib stamping its own', async () => {
    const output = await rewrite(pdf, 'pdf', { set: { PDF: { Title: 'Annual Report – 2024', Subject: 'Summary', ModifyDate: '2024-06-01T10:00:00Z' } }, remove: { PDF: ['Keywords'] } });
    const report = await readReport(output, 'pdf');
    expect(report.sections.PDF).toMatchObject({ Title: 'Annual Report – 2024', Subject: 'Summary', Author: 'Hank Writer', Producer: 'PDFMaker 2', PageCount: 2 });
    expect(report.sections.PDF).not.toHaveProperty('Keywords');
    expect(report.common.modified).toMatch(/^2024-06-01T10:00:00/);
    const tags = await exiftoolTags(output);
    expect(tags['PDF:Title']).toBe('Annual Report – 2024');
    expect(JSON.stringify(tags)).not.toMatch(/pdf-lib/i);
  });

  it('anonymize removes author and software everywhere in the file, keeping the title and the pages', async () => {
    // An incremental update by exiftool adds an XMP packet and a second revision that still holds the old names.
    const layered = pdf.replace(/\.pdf$/, '-layered.pdf');
    await exiftoolCli(['-q', '-o', layered, '-XMP-dc:Creator=Hank Writer', '-XMP-xmp:CreatorTool=WordThing 7', '-PDF:Author=Hank Writer Jr', pdf]);
    const before = await readReport(layered, 'pdf');
    expect(before.sections.XMP?.['dc:Creator']).toBe('Hank Writer');
    const output = await rewrite(layered, 'pdf', { anonymize: true });
    const report = await readReport(output, 'pdf');
    expect(report.common.author).toBeUndefined();
    expect(report.common.software).toBeUndefined();
    expect(report.sections).not.toHaveProperty('XMP');
    expect(report.sections.PDF).toMatchObject({ Title: 'Quarterly Report', PageCount: 2 });
    const strings = await allStrings(output);
    expect(strings).toContain('Quarterly Report');
    expect(strings.join('|')).not.toMatch(/Hank|WordThing|PDFMaker/);
    const bytes = await readFile(output);
    expect(bytes.includes(Buffer.from('Hank'))).toBe(false);
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(2);
  });

  it('strip_all empties the information dictionary', async () => {
    const output = await rewrite(pdf, 'pdf', { strip_all: true });
    const report = await readReport(output, 'pdf');
    for (const key of ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreateDate']) expect(report.sections.PDF).not.toHaveProperty(key);
    expect(report.common).toEqual({});
  });

  it('a bad date is invalid_parameter; a broken PDF is invalid_input', async () => {
    await expect(rewrite(pdf, 'pdf', { set: { PDF: { CreateDate: 'the other day' } } })).rejects.toMatchObject({ code: 'invalid_parameter' });
    const broken = pdf.replace(/\.pdf$/, '-broken.pdf');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(broken, '%PDF-1.7\nthis is not a PDF body at all');
    await expect(rewrite(broken, 'pdf', { set: { PDF: { Title: 'x' } } })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
