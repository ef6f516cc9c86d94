import { conversionJobSchema } from '@conveyor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { multipartForm, pngBytes } from '../support/multipart.js';
import { anonymousOwner, call, gatewayCaller, gatewayEnv, uploadPng, type Caller } from './resource-client.js';

const jobFields = [...Object.keys(conversionJobSchema.shape), 'steps'].sort();

describe('the conversion-job resource', () => {
  let harness: ApiHarness;
  let owner: Caller;
  let fileId: string;

  const createJob = async (caller: Caller, body: Record<string, unknown>) => call(harness, caller, 'POST', '/api/conversion-jobs', body);

  beforeAll(async () => {
    // No process manager runs here: a job stays queued until it is cancelled, so the plan must allow many at once.
    harness = await startApiHarness({ env: { ...gatewayEnv, PLAN_LIMITS: JSON.stringify({ free: { concurrent_jobs: 50 } }) } });
    owner = await anonymousOwner(harness);
    fileId = await uploadPng(harness, owner);
  });
  afterAll(() => harness.close());

  it('converts an uploaded file: 201 with the queued job, as fetching it answers', async () => {
    const response = await createJob(owner, { file_id: fileId, target_format: 'webp', options: { quality: 70 } });
    expect(response.statusCode, response.body).toBe(201);
    const job = response.json();
    expect(Object.keys(job).sort()).toEqual(jobFields);
    expect(job).toMatchObject({ org_id: owner.orgId, file_id: fileId, status: 'queued', target_format: 'webp', options: { quality: 70 } });
    const fetched = await call(harness, owner, 'GET', `/api/conversion-jobs/${owner.orgId}/${job.id}`);
    expect(fetched.json()).toEqual(job);

    const request = (await harness.commands()).find((command) => command.aggregate_id === job.id);
    expect(request).toMatchObject({ type: 'RequestConversion', aggregate: 'conversion', correlation_id: job.id });
    expect(request?.data).toMatchObject({ file_id: fileId, source_format: 'png', source_name: 'source.png', target_format: 'webp' });
  });

  it('answers a planned job, steps and all, exactly as the read model holds it', async () => {
    const job = (await createJob(owner, { file_id: fileId, target_format: 'webp' })).json();
    await harness.deps.commands.send({
      id: harness.deps.ids.next(),
      type: 'PlanConversion',
      version: 1,
      aggregate: 'conversion',
      aggregate_id: job.id,
      org_id: owner.orgId,
      issued_at: new Date().toISOString(),
      correlation_id: job.id,
      data: { steps: [{ index: 0, from: 'png', to: 'webp', plugin: 'test-image', options: {} }] },
    });
    const planned = await harness.deps.readModels.waitUntil(job.id, () => harness.deps.readModels.conversionJob(owner.orgId, job.id), (view) => (view?.steps.length ?? 0) > 0, 5000);
    expect(planned?.steps).toHaveLength(1);
    const fetched = await call(harness, owner, 'GET', `/api/conversion-jobs/${owner.orgId}/${job.id}`);
    expect(fetched.json()).toEqual(planned);
    const listed = (await call(harness, owner, 'GET', '/api/conversion-jobs?limit=1')).json().items[0];
    expect(listed).toEqual(planned);
  });

  it('takes a target named by its extension', async () => {
    const response = await createJob(owner, { file_id: fileId, target_format: 'WEBP' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().target_format).toBe('webp');
  });

  it('refuses a target the planner cannot reach (400) and a file the org does not have (404)', async () => {
    const unreachable = await createJob(owner, { file_id: fileId, target_format: 'gif' });
    expect(unreachable.statusCode).toBe(400);
    expect(unreachable.json().error.code).toBe('unsupported_conversion');
    const stranger = await anonymousOwner(harness);
    const theirs = await createJob(stranger, { file_id: fileId, target_format: 'webp' });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().error.code).toBe('not_found');
  });

  it('cancels a job with the cancel action, and then deletes it', async () => {
    const job = (await createJob(owner, { file_id: fileId, target_format: 'webp' })).json();
    const url = `/api/conversion-jobs/${owner.orgId}/${job.id}`;
    const cancelled = await call(harness, owner, 'POST', `${url}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ id: job.id, status: 'cancelled' });
    expect((await call(harness, owner, 'GET', url)).json().status).toBe('cancelled');
    const again = await call(harness, owner, 'POST', `${url}/cancel`);
    expect(again.statusCode).toBe(200);

    const deleted = await call(harness, owner, 'DELETE', url);
    expect(deleted.statusCode).toBe(204);
    expect((await call(harness, owner, 'GET', url)).statusCode).toBe(404);
  });

  it('cancels with PATCH { status: "cancelled" } and refuses any other change', async () => {
    const job = (await createJob(owner, { file_id: fileId, target_format: 'webp' })).json();
    const url = `/api/conversion-jobs/${owner.orgId}/${job.id}`;
    for (const body of [{ status: 'completed' }, { target_format: 'png' }, { progress_pct: 100 }]) {
      const refused = await call(harness, owner, 'PATCH', url, body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
    }
    const patched = await call(harness, owner, 'PATCH', url, { status: 'cancelled' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().status).toBe('cancelled');
  });

  it('refuses to delete a job that has not finished, with 409', async () => {
    const job = (await createJob(owner, { file_id: fileId, target_format: 'webp' })).json();
    const response = await call(harness, owner, 'DELETE', `/api/conversion-jobs/${owner.orgId}/${job.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('conflict');
    expect((await call(harness, owner, 'GET', `/api/conversion-jobs/${owner.orgId}/${job.id}`)).json().status).toBe('queued');
  });

  it('lets a viewer read jobs but not start or cancel one', async () => {
    const job = (await createJob(owner, { file_id: fileId, target_format: 'webp' })).json();
    const viewer = gatewayCaller(owner.orgId, 'viewer');
    expect((await call(harness, viewer, 'GET', '/api/conversion-jobs')).json().items.length).toBeGreaterThan(0);
    expect((await createJob(viewer, { file_id: fileId, target_format: 'webp' })).statusCode).toBe(403);
    expect((await call(harness, viewer, 'POST', `/api/conversion-jobs/${owner.orgId}/${job.id}/cancel`)).statusCode).toBe(403);
  });
});

describe('the conversion-job resource within the plan', () => {
  let harness: ApiHarness;
  afterAll(() => harness.close());

  it('refuses a job beyond the plan’s concurrent jobs with 429, as POST /api/convert does', async () => {
    harness = await startApiHarness({ env: { PLAN_LIMITS: JSON.stringify({ free: { concurrent_jobs: 2 } }) } });
    const owner = await anonymousOwner(harness);
    const form = multipartForm([{ name: 'file', fileName: 'source.png', content: pngBytes(), contentType: 'image/png' }]);
    const fileId = (await harness.app.inject({ method: 'POST', url: '/api/files', headers: { ...owner.headers, ...form.headers }, payload: form.payload })).json().id;
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await call(harness, owner, 'POST', '/api/conversion-jobs', { file_id: fileId, target_format: 'webp' })).statusCode);
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('refuses preserve_metadata on a plan without it', async () => {
    const owner = await anonymousOwner(harness);
    const form = multipartForm([{ name: 'file', fileName: 'source.png', content: pngBytes(), contentType: 'image/png' }]);
    const fileId = (await harness.app.inject({ method: 'POST', url: '/api/files', headers: { ...owner.headers, ...form.headers }, payload: form.payload })).json().id;
    const response = await call(harness, owner, 'POST', '/api/conversion-jobs', { file_id: fileId, target_format: 'webp', options: { preserve_metadata: true } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('plan_required');
  });
});

describe('fetching a conversion job with ?wait= (a long poll)', () => {
  let harness: ApiHarness;
  let owner: Caller;
  let fileId: string;

  const queuedJob = async () => (await call(harness, owner, 'POST', '/api/conversion-jobs', { file_id: fileId, target_format: 'webp' })).json();
  const cancel = (jobId: string) =>
    harness.deps.commands.send({
      id: harness.deps.ids.next(),
      type: 'CancelConversion',
      version: 1,
      aggregate: 'conversion',
      aggregate_id: jobId,
      org_id: owner.orgId,
      issued_at: new Date().toISOString(),
      correlation_id: jobId,
      data: {},
    });

  beforeAll(async () => {
    // No process manager runs here: a job stays queued until a test cancels it.
    harness = await startApiHarness({ env: { PLAN_LIMITS: JSON.stringify({ free: { concurrent_jobs: 50 } }) } });
    owner = await anonymousOwner(harness);
    fileId = await uploadPng(harness, owner);
  });
  afterAll(() => harness.close());

  it('holds the answer until the job settles, then answers it settled', async () => {
    const job = await queuedJob();
    const cancelAfterMs = 300;
    const started = performance.now();
    const fetching = call(harness, owner, 'GET', `/api/conversion-jobs/${owner.orgId}/${job.id}?wait=20`);
    await new Promise((resolve) => setTimeout(resolve, cancelAfterMs));
    await cancel(job.id);
    const response = await fetching;
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ id: job.id, status: 'cancelled' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(cancelAfterMs);
  });

  it('answers the job as it stands once the wait is over', async () => {
    const job = await queuedJob();
    const started = performance.now();
    const response = await call(harness, owner, 'GET', `/api/conversion-jobs/${owner.orgId}/${job.id}?wait=0.4`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: job.id, status: 'queued' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('answers a finished job at once, whatever the wait', async () => {
    const job = await queuedJob();
    await cancel(job.id);
    await harness.deps.readModels.waitUntil(job.id, () => harness.deps.readModels.conversionJob(owner.orgId, job.id), (view) => view?.status === 'cancelled', 5_000);
    const started = performance.now();
    const response = await call(harness, owner, 'GET', `/api/conversion-jobs/${owner.orgId}/${job.id}?wait=30`);
    expect(response.json()).toMatchObject({ id: job.id, status: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('refuses a wait that is not 0–30 seconds with 400 invalid_parameter', async () => {
    const job = await queuedJob();
    for (const wait of ['31', '-1', 'soon']) {
      const response = await call(harness, owner, 'GET', `/api/conversion-jobs/${owner.orgId}/${job.id}?wait=${wait}`);
      expect(response.statusCode, `wait=${wait}`).toBe(400);
      expect(response.json().error.code).toBe('invalid_parameter');
    }
  });

  it('answers 404 at once for a job of the caller’s org that does not exist, whatever the wait', async () => {
    const started = performance.now();
    const response = await call(harness, owner, 'GET', `/api/conversion-jobs/${owner.orgId}/01m000000000000000000nojob?wait=30`);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('keeps another org’s job a 404, without waiting', async () => {
    const job = await queuedJob();
    const stranger = await anonymousOwner(harness);
    const response = await call(harness, stranger, 'GET', `/api/conversion-jobs/${owner.orgId}/${job.id}?wait=30`);
    expect(response.statusCode).toBe(404);
  });
});
