import { createHash } from 'node:crypto';
import type { CommandEnvelope } from '@conveyor/contracts';
import { uploadBlobKey } from '@conveyor/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { multipartForm, pngBytes, type FormPart } from './support/multipart.js';

const jobFields = [
  'id', 'org_id', 'file_id', 'status', 'progress_pct', 'target_format', 'options', 'attempt_count', 'error_code',
  'error_message', 'queued_at', 'started_at', 'completed_at', 'duration_ms', 'output_file_id', 'steps',
].sort();

async function convert(harness: ApiHarness, parts: FormPart[]) {
  const { authorization, orgId } = await harness.session();
  const form = multipartForm(parts);
  const response = await harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, authorization }, payload: form.payload });
  return { response, orgId, authorization };
}

/** The commands one convert call appended, in log order. */
async function commandsOfJob(harness: ApiHarness, jobId: string): Promise<Array<CommandEnvelope<any>>> {
  return (await harness.commands()).filter((command) => command.correlation_id === jobId);
}

describe('POST /api/convert accepts a valid upload', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness();
  });
  afterAll(() => harness.close());

  it('stores the file, appends RegisterUpload then RequestConversion, and answers 202 with the projected job', async () => {
    const content = pngBytes(5000);
    const { response, orgId } = await convert(harness, [
      { name: 'target_format', value: 'webp' },
      { name: 'visibility', value: 'org' },
      { name: 'options', value: '{"quality":80}' },
      { name: 'file', fileName: 'holiday photo.png', content, contentType: 'image/png' },
    ]);

    expect(response.statusCode).toBe(202);
    const job = response.json();
    expect(Object.keys(job).sort()).toEqual(jobFields);
    expect(job).toMatchObject({ org_id: orgId, status: 'queued', progress_pct: 0, target_format: 'webp', options: { quality: 80 }, attempt_count: 0 });

    const commands = await commandsOfJob(harness, job.id);
    expect(commands.map((command) => command.type)).toEqual(['RegisterUpload', 'RequestConversion']);
    const [register, request] = commands as [CommandEnvelope<any>, CommandEnvelope<any>];
    expect(register).toMatchObject({ type: 'RegisterUpload', version: 1, aggregate: 'file', aggregate_id: job.file_id, org_id: orgId, correlation_id: job.id });
    expect(register.data).toEqual({
      blob_key: uploadBlobKey(orgId, job.file_id),
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      format: 'png',
      mime: 'image/png',
      name: 'holiday photo.png',
      visibility: 'org',
      uploaded_at: register.issued_at,
      // An anonymous session's files are ephemeral: they expire after ANON_TTL_SECONDS (a day by default).
      expires_at: new Date(Date.parse(register.issued_at) + 24 * 60 * 60 * 1000).toISOString(),
      source: { kind: 'upload' },
      // The file holds the job requested with it until its verdict: no separate wait to record.
      awaiting_job_id: job.id,
    });
    expect(request).toMatchObject({ type: 'RequestConversion', version: 1, aggregate: 'conversion', aggregate_id: job.id, org_id: orgId, correlation_id: job.id });
    expect(request.data).toEqual({
      file_id: job.file_id,
      source_name: 'holiday photo.png',
      source_format: 'png',
      source_blob_key: register.data.blob_key,
      target_format: 'webp',
      options: { quality: 80 },
    });
    expect(new Date(register.issued_at).toISOString()).toBe(register.issued_at);
    expect(register.id).not.toBe(request.id);

    expect(await harness.storedBlobs()).toEqual([register.data.blob_key]);
    const stored = await harness.deps.blobs.read(register.data.blob_key);
    const chunks: Buffer[] = [];
    for await (const chunk of stored) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
  });

  it('accepts the fields after the file and defaults visibility and options', async () => {
    const { response } = await convert(harness, [
      { name: 'file', fileName: 'C:\\Users\\me\\scan.png', content: pngBytes(), contentType: 'image/png' },
      { name: 'target_format', value: 'WEBP' },
    ]);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ target_format: 'webp', options: {} });
    const [register] = await commandsOfJob(harness, response.json().id);
    expect(register?.data).toMatchObject({ visibility: 'private', name: 'scan.png' });
  });

  it('passes a preset the final hop offers on to the conversion request', async () => {
    const { response } = await convert(harness, [
      { name: 'file', fileName: 'scan.png', content: pngBytes(), contentType: 'image/png' },
      { name: 'target_format', value: 'webp' },
      { name: 'preset', value: 'web' },
    ]);
    expect(response.statusCode).toBe(202);
    const [, request] = await commandsOfJob(harness, response.json().id);
    expect(request?.data).toMatchObject({ target_format: 'webp', preset: 'web' });
  });

  it('sniffs the format from the content when the name has no extension', async () => {
    const { response } = await convert(harness, [
      { name: 'target_format', value: 'webp' },
      { name: 'file', fileName: 'upload', content: pngBytes(), contentType: 'application/octet-stream' },
    ]);
    expect(response.statusCode).toBe(202);
    const [register] = await commandsOfJob(harness, response.json().id);
    expect(register?.data.format).toBe('png');
  });

});

describe('POST /api/convert when the projection lags', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false });
  });
  afterAll(() => harness.close());

  it('answers after the read-your-writes wait with a queued job built from the request', async () => {
    const started = Date.now();
    const { response, orgId } = await convert(harness, [
      { name: 'target_format', value: 'webp' },
      { name: 'file', fileName: 'photo.png', content: pngBytes(), contentType: 'image/png' },
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(response.statusCode).toBe(202);
    const job = response.json();
    expect(Object.keys(job).sort()).toEqual(jobFields);
    expect(job).toMatchObject({
      org_id: orgId,
      status: 'queued',
      progress_pct: 0,
      attempt_count: 0,
      target_format: 'webp',
      options: {},
      error_code: null,
      started_at: null,
      output_file_id: null,
      steps: [],
    });
    const [, request] = await commandsOfJob(harness, job.id);
    expect(request?.aggregate_id).toBe(job.id);
    expect(job.queued_at).toBe(request?.issued_at);
  }, 15_000);
});
