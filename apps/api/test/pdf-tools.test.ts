import { definePlugin, type CommandEnvelope } from '@conveyor/contracts';
import { CapabilityGraph, uploadBlobKey } from '@conveyor/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePageList } from '../src/convert/pdf-tool-forms.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { multipartForm, pngBytes, type FormPart } from './support/multipart.js';

/** PDF tools as a plugin declares them: merging up to 20 files, and PNG pages. */
const pdfTools = definePlugin({
  id: 'test-pdf',
  version: '1.0.0',
  capabilities: [
    { from: 'pdf', to: 'pdf', maxInputs: 20 },
    { from: 'png', to: 'pdf' },
  ],
  convert: async () => {},
});

/** The same, without a capability that takes several files. */
const singleFilePdfTools = definePlugin({ id: 'test-pdf', version: '1.0.0', capabilities: [{ from: 'pdf', to: 'pdf' }], convert: async () => {} });

const pdfBytes = (label: string) => Buffer.from(`%PDF-1.7\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

const pdfParts = (count: number, field = 'files[]'): FormPart[] =>
  Array.from({ length: count }, (_, index) => ({ name: field, fileName: `part-${index + 1}.pdf`, content: pdfBytes(`part ${index + 1}`), contentType: 'application/pdf' }));

async function post(harness: ApiHarness, url: string, parts: FormPart[]) {
  const { authorization, orgId } = await harness.session();
  const form = multipartForm(parts);
  const response = await harness.app.inject({ method: 'POST', url, headers: { ...form.headers, authorization }, payload: form.payload });
  return { response, orgId };
}

async function commandsOfJob(harness: ApiHarness, jobId: string): Promise<Array<CommandEnvelope<any>>> {
  return (await harness.commands()).filter((command) => command.correlation_id === jobId);
}

describe('POST /api/pdf/merge', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ capabilities: new CapabilityGraph([pdfTools]) });
  });
  afterAll(() => harness.close());

  it('registers every PDF and asks for one PDF → PDF job taking the rest after the first, in the order sent', async () => {
    const { response, orgId } = await post(harness, '/api/pdf/merge', pdfParts(3));
    expect(response.statusCode).toBe(202);
    const job = response.json();
    expect(job).toMatchObject({ org_id: orgId, status: 'queued', target_format: 'pdf' });

    const commands = await commandsOfJob(harness, job.id);
    expect(commands.map((command) => command.type)).toEqual(['RegisterUpload', 'RegisterUpload', 'RegisterUpload', 'RequestConversion']);
    const registered = commands.slice(0, 3).map((command) => ({ fileId: command.aggregate_id, name: command.data.name, blobKey: command.data.blob_key, format: command.data.format }));
    expect(registered.map((file) => file.name)).toEqual(['part-1.pdf', 'part-2.pdf', 'part-3.pdf']);
    expect(registered.every((file) => file.format === 'pdf' && file.blobKey === uploadBlobKey(orgId, file.fileId))).toBe(true);
    const request = commands[3]!;
    expect(request.data).toMatchObject({
      file_id: registered[0]!.fileId,
      source_format: 'pdf',
      source_blob_key: registered[0]!.blobKey,
      additional_sources: registered.slice(1).map((file) => ({ file_id: file.fileId, blob_key: file.blobKey })),
      target_format: 'pdf',
    });
    expect(job.file_id).toBe(registered[0]!.fileId);
    for (const file of registered) expect(await harness.storedBlobs()).toContain(file.blobKey);
  });

  it('also takes the files under `files`', async () => {
    const { response } = await post(harness, '/api/pdf/merge', pdfParts(2, 'files'));
    expect(response.statusCode).toBe(202);
  });

  it.each([
    ['one file', 1],
    ['21 files', 21],
  ])('refuses %s with 400 invalid_parameter, keeping none of them', async (_label, count) => {
    const before = await harness.storedBlobs();
    const { response } = await post(harness, '/api/pdf/merge', pdfParts(count));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_parameter');
    expect(await harness.storedBlobs()).toEqual(before);
  });

  it('refuses a file that is not a PDF with 400 invalid_file_type, keeping none of them', async () => {
    const before = await harness.storedBlobs();
    const parts = [...pdfParts(2), { name: 'files[]', fileName: 'photo.png', content: pngBytes(), contentType: 'image/png' }];
    const { response } = await post(harness, '/api/pdf/merge', parts);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_file_type');
    expect(await harness.storedBlobs()).toEqual(before);
  });
});

describe('POST /api/pdf/merge without a plugin that takes several files', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ capabilities: new CapabilityGraph([singleFilePdfTools]) });
  });
  afterAll(() => harness.close());

  it('answers 400 unsupported_conversion and keeps nothing', async () => {
    const { response } = await post(harness, '/api/pdf/merge', pdfParts(2));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('unsupported_conversion');
    expect(await harness.storedBlobs()).toEqual([]);
  });
});

describe('POST /api/pdf/merge with a merge capability of its own', () => {
  /** A single-file edit that takes any option, and, in another plugin, a dearer merge that takes none. */
  const editor = definePlugin({ id: 'test-pdf-edit', version: '1.0.0', capabilities: [{ from: 'pdf', to: 'pdf', cost: 1, options: { type: 'object' } }], convert: async () => {} });
  const merger = definePlugin({
    id: 'test-pdf-merge',
    version: '1.0.0',
    capabilities: [{ from: 'pdf', to: 'pdf', cost: 2, maxInputs: 20, options: { type: 'object', additionalProperties: false, properties: {} } }],
    convert: async () => {},
  });
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ capabilities: new CapabilityGraph([editor, merger]) });
  });
  afterAll(() => harness.close());

  it("holds the options to the merge's schema, not the single-file edit's, and keeps nothing", async () => {
    const { response } = await post(harness, '/api/pdf/merge', [...pdfParts(2), { name: 'options', value: JSON.stringify({ stamp: 'draft' }) }]);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error).toEqual({ code: 'invalid_parameter', message: 'options.stamp: not an option of pdf → pdf conversions' });
    expect(await harness.storedBlobs()).toEqual([]);
  });
});

describe('POST /api/pdf/delete-pages', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ capabilities: new CapabilityGraph([pdfTools]) });
  });
  afterAll(() => harness.close());

  it('asks for a PDF → PDF job with the pages to delete as delete_pages', async () => {
    const { response } = await post(harness, '/api/pdf/delete-pages', [{ name: 'pages', value: '2, 5,8' }, ...pdfParts(1, 'file')]);
    expect(response.statusCode).toBe(202);
    const job = response.json();
    expect(job).toMatchObject({ target_format: 'pdf', options: { delete_pages: [2, 5, 8] } });
    const [, request] = await commandsOfJob(harness, job.id);
    expect(request?.data).toMatchObject({ source_format: 'pdf', target_format: 'pdf', options: { delete_pages: [2, 5, 8] } });
    expect(request?.data.additional_sources).toBeUndefined();
  });

  it.each([['0'], ['two'], ['1,,3'], ['']])('refuses pages=%j with 400 invalid_parameter, keeping no blob', async (pages) => {
    const before = await harness.storedBlobs();
    const { response } = await post(harness, '/api/pdf/delete-pages', [{ name: 'pages', value: pages }, ...pdfParts(1, 'file')]);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_parameter');
    expect(await harness.storedBlobs()).toEqual(before);
  });

  it('refuses a PNG with 400 invalid_file_type, though PNG converts to PDF', async () => {
    const { response } = await post(harness, '/api/pdf/delete-pages', [{ name: 'pages', value: '1' }, { name: 'file', fileName: 'a.png', content: pngBytes(), contentType: 'image/png' }]);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_file_type');
  });
});

describe('parsePageList', () => {
  it('reads comma-separated page numbers, spaces allowed', () => {
    expect(parsePageList('2,5,8')).toEqual([2, 5, 8]);
    expect(parsePageList(' 1 , 3 ')).toEqual([1, 3]);
  });
});
