import { FailConversion, type CommandEnvelope } from '@conveyor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { multipartForm, pngBytes } from '../support/multipart.js';

interface Job {
  id: string;
  status: string;
  attempt_count: number;
  error_code: string | null;
}

describe('POST /api/conversion-jobs/{org_id}/{id}/retry', () => {
  let harness: ApiHarness;
  let owner: { authorization: string; orgId: string };

  beforeAll(async () => {
    harness = await startApiHarness();
    owner = await harness.session();
  });
  afterAll(() => harness.close());

  /** A job of the owner's: the harness runs no process manager or worker, so it stays queued. */
  const queuedJob = async (): Promise<Job> => {
    const form = multipartForm([
      { name: 'target_format', value: 'webp' },
      { name: 'file', fileName: 'cat.png', content: pngBytes(800), contentType: 'image/png' },
    ]);
    const response = await harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, authorization: owner.authorization }, payload: form.payload });
    expect(response.statusCode, response.body).toBe(202);
    return response.json<Job>();
  };
  const readJob = async (id: string): Promise<Job> =>
    (await harness.app.inject({ method: 'GET', url: `/api/conversion-jobs/${owner.orgId}/${id}`, headers: { authorization: owner.authorization } })).json<Job>();

  /** Fails the job as the process manager would when a step fails, and waits for the read model to show it. */
  const failedJob = async (): Promise<Job> => {
    const job = await queuedJob();
    const command: CommandEnvelope = {
      id: harness.deps.ids.next(),
      type: FailConversion.type,
      version: FailConversion.version,
      aggregate: 'conversion',
      aggregate_id: job.id,
      org_id: owner.orgId,
      issued_at: new Date().toISOString(),
      correlation_id: null,
      data: { error_code: 'conversion_failed', error_message: 'the converter crashed' },
    };
    await harness.deps.commands.send(command);
    await harness.deps.readModels.waitUntil(job.id, () => readJob(job.id), (shown) => shown.status === 'failed', 5000);
    const failed = await readJob(job.id);
    expect(failed.status).toBe('failed');
    return failed;
  };
  const retry = (orgId: string, id: string, authorization = owner.authorization) =>
    harness.app.inject({ method: 'POST', url: `/api/conversion-jobs/${orgId}/${id}/retry`, headers: { authorization } });

  it('queues a failed job again under the same id, with one more attempt and its error cleared', async () => {
    const failed = await failedJob();
    const response = await retry(owner.orgId, failed.id);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ id: failed.id, status: 'queued', attempt_count: failed.attempt_count + 1, error_code: null, error_message: null });
    expect(await readJob(failed.id)).toMatchObject({ id: failed.id, status: 'queued', attempt_count: failed.attempt_count + 1 });
  });

  it('records the retry as a RetryConversion command of the caller', async () => {
    const failed = await failedJob();
    await retry(owner.orgId, failed.id);
    const sent = (await harness.commands()).filter((command) => command.type === 'RetryConversion' && command.aggregate_id === failed.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ aggregate: 'conversion', org_id: owner.orgId, data: { actor: `anonymous:${owner.orgId}` } });
  });

  it('counts each retry: a job that fails again and is retried again has two more attempts', async () => {
    const failed = await failedJob();
    await retry(owner.orgId, failed.id);
    await harness.deps.commands.send({
      id: harness.deps.ids.next(), type: FailConversion.type, version: FailConversion.version, aggregate: 'conversion', aggregate_id: failed.id,
      org_id: owner.orgId, issued_at: new Date().toISOString(), correlation_id: null, data: { error_code: 'timeout', error_message: 'too slow' },
    });
    await harness.deps.readModels.waitUntil(failed.id, () => readJob(failed.id), (shown) => shown.status === 'failed', 5000);
    const again = await retry(owner.orgId, failed.id);
    expect(again.json()).toMatchObject({ status: 'queued', attempt_count: failed.attempt_count + 2 });
  });

  it('refuses to retry a job that has not failed: 409 conflict', async () => {
    const job = await queuedJob();
    const response = await retry(owner.orgId, job.id);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'conflict' } });
  });

  it('answers 404 for another org’s job, and leaves it failed', async () => {
    const failed = await failedJob();
    const stranger = await harness.session();
    expect((await retry(owner.orgId, failed.id, stranger.authorization)).statusCode).toBe(404);
    expect((await retry(stranger.orgId, failed.id, stranger.authorization)).statusCode).toBe(404);
    expect((await readJob(failed.id)).status).toBe('failed');
  });
});
