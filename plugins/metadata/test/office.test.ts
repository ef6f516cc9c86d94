import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataTool } from '../src/index.js';
import { docxBody, makeDocx, makeOdt, readReport, removeWorkDirs, rewrite, workDir } from './fixtures.js';

let dir: string;
let docx: string;
let odt: string;

beforeAll(async () => {
  dir = await workDir();
  [docx, odt] = await Promise.all([makeDocx(dir), makeOdt(dir)]);
});
afterAll(async () => {
  await removeWorkDirs();
  await metadataTool.dispose?.();
});

/** The zip's entries as text, unzipped by fflate (not by this package). */
async function entries(path: string): Promise<Record<string, string>> {
  const files = unzipSync(new Uint8Array(await readFile(path)));
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

describe('DOCX', () => {
  it('reads core and app properties', async () => {
    const report = await readReport(docx, 'docx');
    expect(report.containers).toEqual(['Office']);
    expect(report.sections.Office).toMatchObject({ title: 'Plan & Budget', creator: 'Ivy Author', lastModifiedBy: 'Jack Editor', revision: '7', keywords: 'plan, budget', application: 'Microsoft Office Word', company: 'Acme Corp', manager: 'Kim Boss', pages: '1' });
    expect(report.common).toEqual({ title: 'Plan & Budget', author: 'Ivy Author', created: '2022-01-02T03:04:05Z', modified: '2022-02-03T04:05:06Z', software: 'Microsoft Office Word' });
    expect(report.editable.Office).toEqual(expect.arrayContaining(['title', 'creator', 'subject', 'keywords', 'description', 'lastModifiedBy', 'company', 'manager']));
  });

  it('sets and removes properties, leaving the document body byte for byte', async () => {
    const output = await rewrite(docx, 'docx', { set: { Office: { title: 'New <plan> & "budget"', subject: 'Money', company: 'Other Inc', created: '2023-01-01T00:00:00Z' } }, remove: { Office: ['lastModifiedBy', 'manager'] } });
    const report = await readReport(output, 'docx');
    expect(report.sections.Office).toMatchObject({ title: 'New <plan> & "budget"', subject: 'Money', company: 'Other Inc', creator: 'Ivy Author', created: '2023-01-01T00:00:00Z' });
    expect(report.sections.Office).not.toHaveProperty('lastModifiedBy');
    expect(report.sections.Office).not.toHaveProperty('manager');
    const files = await entries(output);
    expect(files['word/document.xml']).toBe(docxBody);
    expect(files['docProps/core.xml']).toContain('<dc:title>New &lt;plan&gt; &amp; &quot;budget&quot;</dc:title>');
    expect(files['docProps/app.xml']).toContain('<Company>Other Inc</Company>');
    expect(files['docProps/app.xml']).toContain('<Pages>1</Pages>');
  });

  it('anonymize removes names, software and history and keeps the title', async () => {
    const output = await rewrite(docx, 'docx', { anonymize: true });
    const report = await readReport(output, 'docx');
    expect(report.sections.Office).toEqual({ title: 'Plan & Budget', keywords: 'plan, budget', created: '2022-01-02T03:04:05Z', modified: '2022-02-03T04:05:06Z', pages: '1', words: '3' });
    const files = await entries(output);
    expect(`${files['docProps/core.xml']}${files['docProps/app.xml']}`).not.toMatch(/Ivy|Jack|Acme|Kim|Microsoft|Normal\.dotm/);
  });

  it('strip_all removes every property but the statistics', async () => {
    const report = await readReport(await rewrite(docx, 'docx', { strip_all: true }), 'docx');
    expect(report.sections.Office).toEqual({ pages: '1', words: '3' });
    expect(report.common).toEqual({});
  });

  it('creates docProps for a document that has none, and registers them', async () => {
    const bare = await makeDocx(dir, false);
    expect((await readReport(bare, 'docx')).sections).toEqual({});
    const output = await rewrite(bare, 'docx', { set: { Office: { title: 'Fresh', company: 'Acme' } } });
    const report = await readReport(output, 'docx');
    expect(report.sections.Office).toEqual({ title: 'Fresh', company: 'Acme' });
    const files = await entries(output);
    expect(files['[Content_Types].xml']).toContain('PartName="/docProps/core.xml"');
    expect(files['[Content_Types].xml']).toContain('PartName="/docProps/app.xml"');
    expect(files['_rels/.rels']).toContain('Target="docProps/core.xml"');
    expect(files['_rels/.rels']).toContain('Target="docProps/app.xml"');
  });

  it('rejects bad dates and unknown keys', async () => {
    await expect(rewrite(docx, 'docx', { set: { Office: { created: 'last week' } } })).rejects.toMatchObject({ code: 'invalid_parameter' });
    await expect(rewrite(docx, 'docx', { set: { Office: { pages: '9' } } })).rejects.toMatchObject({ code: 'invalid_parameter', message: expect.stringContaining('Office.pages') });
  });

  it('a file that is not a zip is invalid_input', async () => {
    const fake = join(dir, 'fake.docx');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(fake, 'PK\u0003\u0004 but nothing else');
    await expect(readReport(fake, 'docx')).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('LibreOffice still opens the rewritten document and sees the new title', async () => {
    const output = await rewrite(docx, 'docx', { set: { Office: { title: 'Opened by LibreOffice' } }, anonymize: true });
    const outDir = join(dir, 'soffice');
    await promisify(execFile)('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--convert-to', 'odt', '--outdir', outDir, output], { timeout: 90_000 });
    const converted = join(outDir, output.split('/').pop()!.replace(/\.docx$/, '.odt'));
    const meta = (await entries(converted))['meta.xml']!;
    expect(meta).toContain('<dc:title>Opened by LibreOffice</dc:title>');
    expect((await entries(converted))['content.xml']).toContain('Hello metadata');
  }, 120_000);
});

describe('ODT', () => {
  it('reads meta.xml under the same names', async () => {
    const report = await readReport(odt, 'odt');
    expect(report.sections.Office).toMatchObject({ title: 'Minutes', creator: 'Lena First', lastModifiedBy: 'Max Last', application: 'LibreOffice/7.4', keywords: 'meeting, notes', revision: '4', totalTime: 'PT5M', 'custom:Reviewer': 'Nora Check', pages: '1', words: '2' });
    expect(report.common).toMatchObject({ title: 'Minutes', author: 'Lena First', created: '2021-06-07T08:09:10', software: 'LibreOffice/7.4' });
    expect(report.editable.Office).toContain('custom:Reviewer');
  });

  it('sets, removes and anonymizes, keeping mimetype first and stored', async () => {
    const output = await rewrite(odt, 'odt', { set: { Office: { title: 'Agenda', keywords: 'a, b, c', 'custom:Reviewer': 'Olga' } }, remove: { Office: ['lastModifiedBy'] } });
    const report = await readReport(output, 'odt');
    expect(report.sections.Office).toMatchObject({ title: 'Agenda', keywords: 'a, b, c', 'custom:Reviewer': 'Olga', creator: 'Lena First' });
    expect(report.sections.Office).not.toHaveProperty('lastModifiedBy');
    const bytes = await readFile(output);
    // The first local header names "mimetype", stored (method 0), as ODF requires.
    expect(bytes.subarray(30, 38).toString()).toBe('mimetype');
    expect(bytes.readUInt16LE(8)).toBe(0);
    const anonymous = await readReport(await rewrite(odt, 'odt', { anonymize: true }), 'odt');
    expect(anonymous.sections.Office).not.toHaveProperty('creator');
    expect(anonymous.sections.Office).not.toHaveProperty('application');
    expect(anonymous.sections.Office).not.toHaveProperty('totalTime');
    expect(anonymous.sections.Office?.title).toBe('Minutes');
    const stripped = await readReport(await rewrite(odt, 'odt', { strip_all: true }), 'odt');
    expect(stripped.sections.Office).toEqual({ pages: '1', words: '2' });
  });
});
