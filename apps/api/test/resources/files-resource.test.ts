import { fileSchema } from '@conveyor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { multipartForm, pngBytes, type FormPart } from '../support/multipart.js';
import { anonymousOwner, call, gatewayCaller, gatewayEnv, type Caller } from './resource-client.js';

describe('the file resource', () => {
  let harness: ApiHarness;
  let owner: Caller;

  const upload = async (caller: Caller, parts: FormPart[]) => {
    const form = multipartForm(parts);
    return harness.app.inject({ method: 'POST', url: '/api/files', headers: { ...caller.headers, ...form.headers }, payload: form.payload });
  };
  const uploadPng = async (caller: Caller, fileName = 'photo.png') => {
    const response = await upload(caller, [{ name: 'file', fileName, content: pngBytes(1200), contentType: 'image/png' }]);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; name: string }>();
  };

  beforeAll(async () => {
    harness = await startApiHarness({ env: gatewayEnv });
    owner = await anonymousOwner(harness);
  });
  afterAll(() => harness.close());

  it('creates a file by multipart upload: 201 with its FileView, as fetching it answers', async () => {
    const content = pngBytes(2000);
    const response = await upload(owner, [
      { name: 'visibility', value: 'org' },
      { name: 'file', fileName: '../holiday.png', content, contentType: 'image/png' },
    ]);
    expect(response.statusCode, response.body).toBe(201);
    const file = response.json();
    expect(Object.keys(file).sort()).toEqual(Object.keys(fileSchema.shape).sort());
    expect(file).toMatchObject({ org_id: owner.orgId, name: 'holiday.png', format: 'png', mime: 'image/png', size: content.length, status: 'ready' });

    const fetched = await call(harness, owner, 'GET', `/api/files/${owner.orgId}/${file.id}`);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual(file);
    expect(fetched.json()).toEqual((await harness.deps.readModels.file(owner.orgId, file.id))?.view);
    const register = (await harness.commands()).find((command) => command.aggregate_id === file.id);
    expect(register).toMatchObject({ type: 'RegisterUpload', aggregate: 'file', data: { visibility: 'org', source: { kind: 'upload' } } });
  });

  it('refuses a form without a file, with an unknown field or an unknown visibility, and keeps no blob', async () => {
    const before = await harness.storedBlobs();
    const forms: FormPart[][] = [
      [{ name: 'visibility', value: 'org' }],
      [{ name: 'colour', value: 'red' }, { name: 'file', fileName: 'a.png', content: pngBytes(), contentType: 'image/png' }],
      [{ name: 'visibility', value: 'everyone' }, { name: 'file', fileName: 'a.png', content: pngBytes(), contentType: 'image/png' }],
    ];
    for (const parts of forms) {
      const response = await upload(owner, parts);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.code).toBe('invalid_parameter');
    }
    expect(await harness.storedBlobs()).toEqual(before);
  });

  it('refuses an upload over the plan’s size limit with 413, keeping no blob', async () => {
    const before = await harness.storedBlobs();
    const tooLarge = await upload(owner, [{ name: 'file', fileName: 'huge.png', content: pngBytes(harness.deps.config.limits.maxUploadBytes + 1), contentType: 'image/png' }]);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('file_too_large');
    expect(await harness.storedBlobs()).toEqual(before);
  });

  it('lists the org’s files, newest first', async () => {
    const org = await anonymousOwner(harness);
    const older = await uploadPng(org, 'older.png');
    const newer = await uploadPng(org, 'newer.png');
    const response = await call(harness, org, 'GET', '/api/files');
    expect(response.statusCode).toBe(200);
    expect(response.json().items.map((file: { id: string }) => file.id)).toEqual([newer.id, older.id]);
    expect(response.json().next_cursor).toBeNull();
  });

  it('renames a file with PATCH, sanitising the name, and answers the renamed view', async () => {
    const file = await uploadPng(owner);
    const url = `/api/files/${owner.orgId}/${file.id}`;
    const renamed = await call(harness, owner, 'PATCH', url, { name: 'reports/March\u0007 report.png' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: file.id, name: 'March report.png' });
    expect((await call(harness, owner, 'GET', url)).json().name).toBe('March report.png');
    const download = await call(harness, owner, 'GET', `${url}/download`);
    expect(download.headers['content-disposition']).toContain('March%20report.png');
  });

  it('changes visibility with PATCH, recording UpdateFile with the caller as actor', async () => {
    const file = await uploadPng(owner);
    const response = await call(harness, owner, 'PATCH', `/api/files/${owner.orgId}/${file.id}`, { visibility: 'public' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual((await call(harness, owner, 'GET', `/api/files/${owner.orgId}/${file.id}`)).json());
    const update = (await harness.commands()).find((command) => command.aggregate_id === file.id && command.type === 'UpdateFile');
    expect(update?.data).toEqual({ changes: { visibility: 'public' }, actor: `anonymous:${owner.orgId}` });
  });

  it('refuses fields a file update does not take', async () => {
    const file = await uploadPng(owner);
    for (const body of [{ size: 1 }, { format: 'gif' }, { visibility: 'everyone' }, { name: '' }]) {
      const response = await call(harness, owner, 'PATCH', `/api/files/${owner.orgId}/${file.id}`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.code).toBe('invalid_parameter');
    }
  });

  it('deletes a file: 204, then neither it nor its download is found', async () => {
    const file = await uploadPng(owner);
    const url = `/api/files/${owner.orgId}/${file.id}`;
    expect((await call(harness, owner, 'GET', `${url}/download`)).statusCode).toBe(200);
    const deleted = await call(harness, owner, 'DELETE', url);
    expect(deleted.statusCode).toBe(204);
    for (const suffix of ['', '/download']) {
      const response = await call(harness, owner, 'GET', `${url}${suffix}`);
      expect(response.statusCode, suffix).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    const listed = (await call(harness, owner, 'GET', '/api/files?limit=100')).json().items;
    expect(listed.map((item: { id: string }) => item.id)).not.toContain(file.id);
  });

  it('lets a viewer read files but not upload, rename or delete them', async () => {
    const file = await uploadPng(owner);
    const viewer = gatewayCaller(owner.orgId, 'viewer');
    expect((await call(harness, viewer, 'GET', `/api/files/${owner.orgId}/${file.id}`)).statusCode).toBe(200);
    expect((await call(harness, viewer, 'GET', '/api/files')).statusCode).toBe(200);
    const refused = [
      await upload(viewer, [{ name: 'file', fileName: 'v.png', content: pngBytes(), contentType: 'image/png' }]),
      await call(harness, viewer, 'PATCH', `/api/files/${owner.orgId}/${file.id}`, { name: 'mine.png' }),
      await call(harness, viewer, 'DELETE', `/api/files/${owner.orgId}/${file.id}`),
    ];
    expect(refused.map((response) => response.statusCode)).toEqual([403, 403, 403]);
    const member = gatewayCaller(owner.orgId, 'member');
    expect((await call(harness, member, 'PATCH', `/api/files/${owner.orgId}/${file.id}`, { name: 'ours.png' })).statusCode).toBe(200);
  });
});
