import type { CommandEnvelope, FileCommand, MetadataReport } from '@conveyor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { multipartForm, pngBytes } from './support/multipart.js';

const report: MetadataReport = {
  containers: ['EXIF', 'ICC'],
  common: { author: 'Ada', camera: 'Pixel 9', gps: { latitude: 48.85, longitude: 2.35 } },
  sections: { EXIF: { Artist: 'Ada', Model: 'Pixel 9', GPSLatitude: 48.85 }, ICC: { ProfileDescription: 'sRGB' } },
  editable: { EXIF: ['Artist', 'Copyright'] },
};
const guide = { containers: [{ id: 'EXIF', holds: 'camera settings, GPS' }], anonymize: { removes: ['GPS'], keeps: ['Orientation', 'ICC profile'] } };

describe('file metadata and quarantine over HTTP', () => {
  let harness: ApiHarness;
  let authorization: string;
  let orgId: string;

  beforeAll(async () => {
    // One org uploads every file here and no job ever finishes (no worker runs): the free plan's
    // five concurrent jobs would refuse the sixth upload.
    harness = await startApiHarness({ metadata: { writableFormats: ['png', 'jpeg'], guide }, env: { DEFAULT_PLAN: 'pro' } });
    ({ authorization, orgId } = await harness.session());
  });
  afterAll(() => harness.close());

  /** Uploads a PNG (through a conversion request) and answers its file id once the projection shows it. */
  async function upload(): Promise<string> {
    const form = multipartForm([
      { name: 'target_format', value: 'webp' },
      { name: 'file', fileName: 'photo.png', content: pngBytes(), contentType: 'image/png' },
    ]);
    const response = await harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, authorization }, payload: form.payload });
    expect(response.statusCode).toBe(202);
    return response.json().file_id as string;
  }

  /** What a worker would record on the file, through the real decider and projector. */
  async function record(fileId: string, command: FileCommand, until: (file: Record<string, unknown>) => boolean): Promise<void> {
    const envelope: CommandEnvelope = {
      id: harness.deps.ids.next(),
      type: command.type,
      version: 1,
      aggregate: 'file',
      aggregate_id: fileId,
      org_id: orgId,
      issued_at: new Date().toISOString(),
      correlation_id: null,
      data: command.data,
    };
    await harness.deps.commands.send(envelope);
    await fileShows(fileId, until, command.type);
  }

  async function fileShows(fileId: string, until: (file: Record<string, unknown>) => boolean, what: string): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const row = await harness.deps.readModels.file(orgId, fileId);
      if (row && until(row as unknown as Record<string, unknown>)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${what} never showed in the read model`);
  }

  /** What the workers record on a clean upload: the scanner's verdict, then the metadata tool's probe. */
  async function scanAndProbe(fileId: string, probed: MetadataReport | null): Promise<void> {
    await record(fileId, { type: 'RecordScanVerdict', data: { verdict: 'clean', engine: 'builtin', reason: '' } }, (file) => (file as { scan: { status: string } }).scan.status === 'clean');
    await record(fileId, { type: 'RecordMetadataProbe', data: { version: 1, report: probed } }, (file) => file.metadata !== undefined);
  }

  const get = (url: string) => harness.app.inject({ method: 'GET', url, headers: { authorization } });
  const post = (url: string, body: unknown) => harness.app.inject({ method: 'POST', url, headers: { authorization }, payload: body as object });

  const probeRequests = async (fileId: string) =>
    (await harness.commands()).filter((command) => command.type === 'RequestMetadataProbe' && command.aggregate_id === fileId);

  it('asks for the probe on the first read only, answers 409 not_ready until it comes, then the report and its version', async () => {
    const fileId = await upload();
    expect(await probeRequests(fileId)).toEqual([]);
    for (let read = 0; read < 2; read++) {
      const early = await get(`/api/files/${orgId}/${fileId}/metadata`);
      expect(early.statusCode).toBe(409);
      expect(early.json().error.code).toBe('not_ready');
    }
    expect(await probeRequests(fileId)).toHaveLength(1);

    await scanAndProbe(fileId, report);
    const probed = await get(`/api/files/${orgId}/${fileId}/metadata`);
    expect(probed.statusCode).toBe(200);
    expect(probed.json()).toEqual({ ...report, version: 1 });
    expect(await probeRequests(fileId)).toHaveLength(1);
  });

  it('shows a file no tool reads as carrying nothing', async () => {
    const fileId = await upload();
    await scanAndProbe(fileId, null);
    expect((await get(`/api/files/${orgId}/${fileId}/metadata`)).json()).toEqual({ containers: [], common: {}, sections: {}, editable: {}, version: 1 });
  });

  it('accepts a rewrite of editable keys with 202, records the command, and shows the write as queued', async () => {
    const fileId = await upload();
    await scanAndProbe(fileId, report);
    const response = await post(`/api/files/${orgId}/${fileId}/metadata`, { anonymize: true, set: { EXIF: { Copyright: 'CC-BY' } }, remove: { EXIF: ['Artist'] } });
    expect(response.statusCode).toBe(202);
    const accepted = response.json();
    expect(accepted).toEqual({ request_id: expect.any(String), file_id: fileId, as_copy: false, status: 'queued' });
    const command = (await harness.commands()).find((candidate) => candidate.type === 'WriteMetadata' && candidate.aggregate_id === fileId);
    expect(command?.data).toEqual({
      request_id: accepted.request_id,
      edit: { anonymize: true, strip_all: false, set: { EXIF: { Copyright: 'CC-BY' } }, remove: { EXIF: ['Artist'] } },
    });
    await fileShows(fileId, (file) => (file as { metadataWrite: unknown }).metadataWrite !== null, 'the metadata write');
    expect((await get(`/api/files/${orgId}/${fileId}/metadata`)).json().write).toMatchObject({ request_id: accepted.request_id, status: 'queued', as_copy: false, file_id: fileId });
  });

  it('refuses a rewrite of an upload the scanner has not passed yet with 409 not_ready, and sends no command', async () => {
    const fileId = await upload();
    const response = await post(`/api/files/${orgId}/${fileId}/metadata`, { strip_all: true });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('not_ready');
    expect((await harness.commands()).some((command) => command.type === 'WriteMetadata' && command.aggregate_id === fileId)).toBe(false);
  });

  it('names a new file for a copy', async () => {
    const fileId = await upload();
    await scanAndProbe(fileId, report);
    const response = await post(`/api/files/${orgId}/${fileId}/metadata`, { strip_all: true, as_copy: true });
    expect(response.statusCode).toBe(202);
    expect(response.json().as_copy).toBe(true);
    expect(response.json().file_id).not.toBe(fileId);
  });

  it.each([
    ['a key the probe did not mark editable', { set: { EXIF: { Model: 'X' } } }],
    ['a section the file does not have', { remove: { ID3: ['title'] } }],
    ['an unknown field', { anonymise: true }],
    ['nothing to do', { as_copy: true }],
    ['a value that is not a string or number', { set: { EXIF: { Artist: { nested: true } } } }],
  ])('refuses %s with 400 invalid_parameter', async (_label, body) => {
    const fileId = await upload();
    await scanAndProbe(fileId, report);
    const response = await post(`/api/files/${orgId}/${fileId}/metadata`, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_parameter');
  });

  it('answers another org’s file with 404 on both routes', async () => {
    const fileId = await upload();
    const stranger = await harness.session();
    for (const method of ['GET', 'POST'] as const) {
      const response = await harness.app.inject({ method, url: `/api/files/${orgId}/${fileId}/metadata`, headers: { authorization: stranger.authorization }, payload: method === 'POST' ? { anonymize: true } : undefined });
      expect(response.statusCode).toBe(404);
    }
  });

  it.each([
    ['infected', 'file_infected'],
    ['rejected', 'file_rejected'],
  ] as const)('quarantines a file the scanner calls %s: 410 %s for its bytes and its metadata, status quarantined', async (verdict, code) => {
    const fileId = await upload();
    await record(fileId, { type: 'RecordScanVerdict', data: { verdict, engine: 'builtin', reason: 'EICAR test signature' } }, (file) => (file as { view: { status: string } }).view.status === 'quarantined');
    for (const url of [`/api/files/${orgId}/${fileId}/download`, `/api/files/${orgId}/${fileId}/metadata`]) {
      const response = await get(url);
      expect(response.statusCode).toBe(410);
      expect(response.json().error.code).toBe(code);
    }
    expect((await get(`/api/files/${orgId}/${fileId}`)).json().status).toBe('quarantined');
    expect((await post(`/api/files/${orgId}/${fileId}/metadata`, { anonymize: true })).statusCode).toBe(410);
  });

  it('serves a clean file’s bytes as before', async () => {
    const fileId = await upload();
    await record(fileId, { type: 'RecordScanVerdict', data: { verdict: 'clean', engine: 'builtin', reason: '' } }, (file) => (file as { scan: { status: string } }).scan.status === 'clean');
    expect((await get(`/api/files/${orgId}/${fileId}/download`)).statusCode).toBe(200);
  });

  it('serves the metadata guide without a token', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/help/metadata' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(guide);
  });
});

describe('file metadata without a metadata tool', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness();
  });
  afterAll(() => harness.close());

  it('answers the guide with 404 not_found', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/help/metadata' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});
