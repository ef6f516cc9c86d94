import { definePlugin, type ConversionCommand, type EventEnvelope, type FileCommand, type StoredBlob } from '@conveyor/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { conversionAggregate, fileAggregate } from '../../src/aggregates/aggregate-types.js';
import { CommandHandler } from '../../src/aggregates/command-handler.js';
import type { BlobStore } from '../../src/blob-store/port.js';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';
import { migrateToLatest } from '../../src/database/migrate.js';
import type { StoredMessage } from '../../src/event-log/port.js';
import { SqlEventLog } from '../../src/event-log/sql/sql-event-log.js';
import { subjects } from '../../src/event-log/subjects.js';
import { CapabilityGraph } from '../../src/planner/capability-graph.js';
import { ConversionProcessManager } from '../../src/process-manager/conversion-process-manager.js';
import { randomIds } from '../../src/system/ids.js';
import { systemClock } from '../../src/system/clock.js';

const plugin = (id: string, from: string, to: string) =>
  definePlugin({ id, version: '1.0.0', capabilities: [{ from, to }], convert: async () => undefined });

/** Records deletions; the process manager only ever deletes blobs. */
class DeletionLog implements Pick<BlobStore, 'delete'> {
  readonly deleted: string[] = [];
  async delete(key: string) {
    this.deleted.push(key);
  }
}

describe('conversion process manager', () => {
  let database: DatabaseHandle;
  let log: SqlEventLog;
  let commands: CommandHandler;
  let blobs: DeletionLog;
  let manager: ConversionProcessManager;
  const merger = definePlugin({ id: 'merger', version: '1.0.0', capabilities: [{ from: 'pdf', to: 'pdf', maxInputs: 20 }], convert: async () => undefined });
  const graph = new CapabilityGraph([plugin('doc', 'pptx', 'pdf'), plugin('pdf', 'pdf', 'png'), merger]);

  beforeAll(async () => {
    database = await createDatabase({ kind: 'pglite' });
    await migrateToLatest(database.db);
    log = new SqlEventLog(database.db);
    await log.initialize();
    commands = new CommandHandler(log, systemClock);
    blobs = new DeletionLog();
    manager = new ConversionProcessManager(log, commands, () => graph, blobs as unknown as BlobStore, systemClock, { maxHops: 3 });
    for (const fileId of ['f1', 'f2', 'f3']) {
      await uploadFile(fileId);
      await onFile(fileId, { type: 'RecordScanVerdict', data: { verdict: 'clean', engine: 'builtin', reason: '' } });
    }
  });

  async function onFile(fileId: string, command: FileCommand) {
    return commands.handle(fileAggregate, { aggregateId: fileId, orgId: 'org1', commandId: randomIds.next(), correlationId: null }, command);
  }

  async function uploadFile(
    fileId: string,
    source: { kind: 'upload' } | { kind: 'conversion'; job_id: string; source_file_id: string } = { kind: 'upload' },
    awaitingJobId?: string,
  ) {
    await onFile(fileId, {
      type: 'RegisterUpload',
      data: {
        blob_key: `org/org1/files/${fileId}`, size: 5, sha256: 'e'.repeat(64), format: 'pdf', mime: 'application/pdf', name: `${fileId}.pdf`,
        visibility: 'private', uploaded_at: new Date().toISOString(), source,
        ...(awaitingJobId === undefined ? {} : { awaiting_job_id: awaitingJobId }),
      },
    });
  }

  /** The process manager's reaction to the file's latest event: the events and tasks appended. */
  async function whenTheFileEventArrives(fileId: string) {
    const events = await log.readSubject('events', subjects.event('file', fileId));
    const last = events.at(-1)!;
    const tasksBefore = await lastSequence('tasks');
    const eventsBefore = await lastSequence('events');
    await manager.react(last.payload as EventEnvelope, last.sequence);
    return {
      tasks: (await log.readStream('tasks', tasksBefore, 100)).map((message) => (message.payload as { data: Record<string, unknown> }).data),
      events: (await log.readStream('events', eventsBefore, 100)).map((message) => (message.payload as EventEnvelope).type),
    };
  }

  afterAll(async () => {
    await log.close();
    await database.close();
  });

  /** given(commands) → the job's history; when(latest event) → what the process manager appended. */
  async function given(jobId: string, history: ConversionCommand[]) {
    for (const command of history) {
      await commands.handle(conversionAggregate, { aggregateId: jobId, orgId: 'org1', commandId: randomIds.next(), correlationId: jobId }, command);
    }
    const events = await log.readSubject('events', subjects.event('conversion', jobId));
    const last = events.at(-1)!;
    return {
      whenItReactsToTheLatestEvent: async () => {
        const tasksBefore = await lastSequence('tasks');
        const eventsBefore = await lastSequence('events');
        await manager.react(last.payload as EventEnvelope, last.sequence);
        return {
          tasks: (await log.readStream('tasks', tasksBefore, 100)).map((message) => (message.payload as { data: Record<string, unknown> }).data),
          events: (await log.readStream('events', eventsBefore, 100)).map((message) => (message.payload as EventEnvelope).type),
        };
      },
    };
  }

  async function lastSequence(stream: 'tasks' | 'events'): Promise<number> {
    let after = 0;
    for (let page: StoredMessage[]; (page = await log.readStream(stream, after, 500)).length > 0; ) after = page.at(-1)!.sequence;
    return after;
  }

  type AdditionalSources = Array<{ file_id: string; blob_key: string }>;
  const request = (from: string, to: string, preset?: string, additionalSources?: AdditionalSources, fileId = 'f1'): ConversionCommand => ({
    type: 'RequestConversion',
    data: {
      file_id: fileId, source_name: 'deck.pptx', source_format: from, source_blob_key: 'org/org1/files/f1', target_format: to, options: { dpi: 72 },
      ...(preset === undefined ? {} : { preset }),
      ...(additionalSources === undefined ? {} : { additional_sources: additionalSources }),
    },
  });
  const output = (index: number, format: string): StoredBlob => ({ blob_key: `org/org1/jobs/x/step-${index}`, size: 5, sha256: 'd'.repeat(64), format, mime: 'x/y' });

  it('plans a requested conversion and hands its first step to the plugin’s workers', async () => {
    const jobId = randomIds.next();
    const outcome = await (await given(jobId, [request('pptx', 'png')])).whenItReactsToTheLatestEvent();
    expect(outcome.events).toEqual(['ConversionPlanned']);
    expect(outcome.tasks).toEqual([
      {
        job_id: jobId, org_id: 'org1', step_index: 0, plugin: 'doc', from: 'pptx', to: 'pdf', options: {},
        input_blob_key: 'org/org1/files/f1', output_name: 'deck.png',
      },
    ]);
  });

  it('hands the files taken with the source to the first step, to a plugin that takes that many', async () => {
    const jobId = randomIds.next();
    const additional_sources = [
      { file_id: 'f2', blob_key: 'org/org1/files/f2' },
      { file_id: 'f3', blob_key: 'org/org1/files/f3' },
    ];
    const outcome = await (await given(jobId, [request('pdf', 'pdf', undefined, additional_sources)])).whenItReactsToTheLatestEvent();
    expect(outcome.events).toEqual(['ConversionPlanned']);
    expect(outcome.tasks).toMatchObject([
      { step_index: 0, plugin: 'merger', from: 'pdf', to: 'pdf', input_blob_key: 'org/org1/files/f1', additional_input_blob_keys: ['org/org1/files/f2', 'org/org1/files/f3'] },
    ]);
  });

  it('fails a conversion of several files when no first hop takes several', async () => {
    const merge = request('pdf', 'png', undefined, [{ file_id: 'f2', blob_key: 'org/org1/files/f2' }]);
    const outcome = await (await given(randomIds.next(), [merge])).whenItReactsToTheLatestEvent();
    expect(outcome).toEqual({ tasks: [], events: ['ConversionFailed'] });
  });

  it('holds a conversion of a file not scanned yet: no plan, no task, the job marked as waiting for the scan', async () => {
    const fileId = randomIds.next();
    await uploadFile(fileId);
    const outcome = await (await given(randomIds.next(), [request('pptx', 'png', undefined, undefined, fileId)])).whenItReactsToTheLatestEvent();
    expect(outcome).toEqual({ tasks: [], events: ['FileScanAwaited', 'ConversionScanAwaited'] });
  });

  it('holds a conversion requested with its upload without asking the file again, and releases it on the verdict', async () => {
    const [fileId, jobId] = [randomIds.next(), randomIds.next()];
    await uploadFile(fileId, { kind: 'upload' }, jobId);
    const held = await (await given(jobId, [request('pdf', 'png', undefined, undefined, fileId)])).whenItReactsToTheLatestEvent();
    expect(held).toEqual({ tasks: [], events: ['ConversionScanAwaited'] });
    await onFile(fileId, { type: 'RecordScanVerdict', data: { verdict: 'clean', engine: 'builtin', reason: '' } });
    const released = await whenTheFileEventArrives(fileId);
    expect(released).toEqual({ tasks: [expect.objectContaining({ job_id: jobId, plugin: 'pdf' })], events: ['ConversionPlanned'] });
  });

  it('plans a conversion requested with its upload whose verdict came first, though the file it knew was unscanned', async () => {
    // The verdict's reaction found no job yet to release; the request's must not wait for it.
    const [fileId, jobId] = [randomIds.next(), randomIds.next()];
    const behind = new CommandHandler(log, systemClock);
    const lagging = new ConversionProcessManager(log, behind, () => graph, blobs as unknown as BlobStore, systemClock, { maxHops: 3 });
    await uploadFile(fileId, { kind: 'upload' }, jobId);
    await behind.stateAt(fileAggregate, fileId, 0); // this process saw the upload, not yet the verdict
    await onFile(fileId, { type: 'RecordScanVerdict', data: { verdict: 'clean', engine: 'builtin', reason: '' } });
    await given(jobId, [request('pdf', 'png', undefined, undefined, fileId)]);
    const [requested] = (await log.readSubject('events', subjects.event('conversion', jobId))).slice(-1);
    await lagging.react(requested!.payload as EventEnvelope, requested!.sequence);
    const job = await log.readSubject('events', subjects.event('conversion', jobId));
    expect(job.map((message) => (message.payload as EventEnvelope).type)).toEqual(['ConversionRequested', 'ConversionPlanned']);
  });

  it('plans and dispatches every waiting conversion once the file is scanned clean, once', async () => {
    const fileId = randomIds.next();
    await uploadFile(fileId);
    const [first, second] = [randomIds.next(), randomIds.next()];
    await (await given(first, [request('pptx', 'png', undefined, undefined, fileId)])).whenItReactsToTheLatestEvent();
    await (await given(second, [request('pdf', 'png', undefined, undefined, fileId)])).whenItReactsToTheLatestEvent();
    await onFile(fileId, { type: 'RecordScanVerdict', data: { verdict: 'clean', engine: 'builtin', reason: '' } });
    const released = await whenTheFileEventArrives(fileId);
    expect(released.events).toEqual(['ConversionPlanned', 'ConversionPlanned']);
    expect(released.tasks).toMatchObject([{ job_id: first, plugin: 'doc' }, { job_id: second, plugin: 'pdf' }]);
    expect(await whenTheFileEventArrives(fileId)).toEqual({ tasks: [], events: [] });
  });

  it('releases a waiting conversion on a verdict it already knows, without reading the file back', async () => {
    const fileId = randomIds.next();
    await uploadFile(fileId);
    const jobId = randomIds.next();
    await (await given(jobId, [request('pdf', 'png', undefined, undefined, fileId)])).whenItReactsToTheLatestEvent();
    await onFile(fileId, { type: 'RecordScanVerdict', data: { verdict: 'clean', engine: 'builtin', reason: '' } });
    const [scanned] = (await log.readSubject('events', subjects.event('file', fileId))).slice(-1);
    const reads = vi.spyOn(log, 'readSubject');
    try {
      await manager.react(scanned!.payload as EventEnvelope, scanned!.sequence);
      expect(reads.mock.calls.filter(([, subject]) => subject === subjects.event('file', fileId))).toEqual([]);
    } finally {
      reads.mockRestore();
    }
    const job = await log.readSubject('events', subjects.event('conversion', jobId));
    expect((job.at(-1)!.payload as EventEnvelope).type).toBe('ConversionPlanned');
  });

  it.each([
    ['infected', 'file_infected'],
    ['rejected', 'file_rejected'],
  ] as const)('fails the waiting conversions of a file the scanner calls %s with %s, and later ones at once', async (verdict, errorCode) => {
    const fileId = randomIds.next();
    await uploadFile(fileId);
    const waiting = randomIds.next();
    await (await given(waiting, [request('pdf', 'png', undefined, undefined, fileId)])).whenItReactsToTheLatestEvent();
    await onFile(fileId, { type: 'RecordScanVerdict', data: { verdict, engine: 'builtin', reason: 'EICAR test signature' } });
    expect(await whenTheFileEventArrives(fileId)).toEqual({ tasks: [], events: ['ConversionFailed'] });
    const failed = await log.readSubject('events', subjects.event('conversion', waiting));
    expect((failed.at(-1)!.payload as EventEnvelope).data).toMatchObject({ error_code: errorCode, error_message: expect.stringContaining('EICAR test signature') });
    const later = await (await given(randomIds.next(), [request('pdf', 'png', undefined, undefined, fileId)])).whenItReactsToTheLatestEvent();
    expect(later).toEqual({ tasks: [], events: ['ConversionFailed'] });
  });

  it('plans a conversion of a file Conveyor made (a conversion output) without a scan', async () => {
    const fileId = randomIds.next();
    await uploadFile(fileId, { kind: 'conversion', job_id: 'j0', source_file_id: 'f1' });
    const outcome = await (await given(randomIds.next(), [request('pdf', 'png', undefined, undefined, fileId)])).whenItReactsToTheLatestEvent();
    expect(outcome.events).toEqual(['ConversionPlanned']);
  });

  it('fails a conversion whose preset the final hop does not offer', async () => {
    const outcome = await (await given(randomIds.next(), [request('pptx', 'png', 'cinema')])).whenItReactsToTheLatestEvent();
    expect(outcome).toEqual({ tasks: [], events: ['ConversionFailed'] });
  });

  it('fails a conversion that no plugin path can serve', async () => {
    const outcome = await (await given(randomIds.next(), [request('png', 'pptx')])).whenItReactsToTheLatestEvent();
    expect(outcome.events).toEqual(['ConversionFailed']);
    expect(outcome.tasks).toEqual([]);
  });

  it('feeds a completed step’s output to the next step, with the caller’s options on the last hop', async () => {
    const jobId = randomIds.next();
    const plan: ConversionCommand = {
      type: 'PlanConversion',
      data: { steps: [{ index: 0, from: 'pptx', to: 'pdf', plugin: 'doc', options: {} }, { index: 1, from: 'pdf', to: 'png', plugin: 'pdf', options: { dpi: 72 } }] },
    };
    const outcome = await (
      await given(jobId, [
        request('pptx', 'png'),
        plan,
        { type: 'StartConversionStep', data: { step_index: 0, attempt: 1 } },
        { type: 'CompleteConversionStep', data: { step_index: 0, output: output(0, 'pdf') } },
      ])
    ).whenItReactsToTheLatestEvent();
    expect(outcome.events).toEqual([]);
    expect(outcome.tasks).toMatchObject([{ step_index: 1, plugin: 'pdf', from: 'pdf', to: 'png', options: { dpi: 72 }, input_blob_key: output(0, 'pdf').blob_key }]);
  });

  it('records the output file and completes the job after the last step, once', async () => {
    const jobId = randomIds.next();
    const history = await given(jobId, [
      request('pdf', 'png'),
      { type: 'PlanConversion', data: { steps: [{ index: 0, from: 'pdf', to: 'png', plugin: 'pdf', options: {} }] } },
      { type: 'StartConversionStep', data: { step_index: 0, attempt: 1 } },
      { type: 'CompleteConversionStep', data: { step_index: 0, output: output(0, 'png') } },
    ]);
    const first = await history.whenItReactsToTheLatestEvent();
    expect(first).toEqual({ tasks: [], events: ['FileUploaded', 'ConversionCompleted'] });
    const again = await history.whenItReactsToTheLatestEvent();
    expect(again).toEqual({ tasks: [], events: [] });
  });

  it('hands out the first step on the plan’s event when the plan’s own dispatch was lost', async () => {
    const jobId = randomIds.next();
    const outcome = await (
      await given(jobId, [request('pdf', 'png'), { type: 'PlanConversion', data: { steps: [{ index: 0, from: 'pdf', to: 'png', plugin: 'pdf', options: {} }] } }])
    ).whenItReactsToTheLatestEvent();
    expect(outcome).toEqual({ tasks: [expect.objectContaining({ job_id: jobId, step_index: 0, plugin: 'pdf' })], events: [] });
  });

  it('appends no second task on the plan’s event for a step it handed out itself; a restarted process does', async () => {
    const jobId = randomIds.next();
    await (await given(jobId, [request('pdf', 'png')])).whenItReactsToTheLatestEvent();
    const planned = (await log.readSubject('events', subjects.event('conversion', jobId))).find((message) => (message.payload as EventEnvelope).type === 'ConversionPlanned')!;
    const appends = vi.spyOn(log, 'append');
    try {
      await manager.react(planned.payload as EventEnvelope, planned.sequence);
      expect(appends).not.toHaveBeenCalled();
      const restarted = new ConversionProcessManager(log, new CommandHandler(log, systemClock), () => graph, blobs as unknown as BlobStore, systemClock, { maxHops: 3 });
      await restarted.react(planned.payload as EventEnvelope, planned.sequence);
      expect(appends.mock.calls.map(([stream, request]) => [stream, request.messageId])).toEqual([['tasks', `${jobId}:step-0`]]);
    } finally {
      appends.mockRestore();
    }
  });

  /** Holds the process manager's task appends until released; `failFirst` makes the first one fail once released. */
  function holdTaskAppends({ failFirst = false } = {}) {
    const append = log.append.bind(log);
    const held: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const appends = vi.spyOn(log, 'append').mockImplementation(async (stream, request) => {
      if (stream !== 'tasks') return append(stream, request);
      held.push(request.messageId);
      await released;
      if (failFirst && held.length === 1) throw new Error('the log is unreachable');
      return append(stream, request);
    });
    return { held, release, restore: () => appends.mockRestore() };
  }

  async function eventOfJob(jobId: string, type: string) {
    const found = (await log.readSubject('events', subjects.event('conversion', jobId))).find((message) => (message.payload as EventEnvelope).type === type)!;
    return { envelope: found.payload as EventEnvelope, sequence: found.sequence };
  }

  /**
   * Plans a requested job while holding its dispatch's append until the plan's own event has
   * reached the process manager too, then lets the append go on. Resolves to how both reactions
   * ended and the task ids the log was asked to append.
   */
  async function planWithTheDispatchInFlight(jobId: string, options: { failFirst?: boolean } = {}) {
    await given(jobId, [request('pdf', 'png')]);
    const requested = await eventOfJob(jobId, 'ConversionRequested');
    const tasks = holdTaskAppends(options);
    try {
      const planning = manager.react(requested.envelope, requested.sequence);
      await vi.waitFor(() => expect(tasks.held).toHaveLength(1));
      const planned = await eventOfJob(jobId, 'ConversionPlanned');
      const reaction = manager.react(planned.envelope, planned.sequence);
      tasks.release();
      const [planningEnded, reactionEnded] = await Promise.allSettled([planning, reaction]);
      return { planning: planningEnded, reaction: reactionEnded, appended: tasks.held };
    } finally {
      tasks.restore();
    }
  }

  it('waits for its own dispatch still being written when the plan’s event arrives, and appends nothing more', async () => {
    const jobId = randomIds.next();
    const outcome = await planWithTheDispatchInFlight(jobId);
    expect(outcome.planning.status).toBe('fulfilled');
    expect(outcome.reaction.status).toBe('fulfilled');
    expect(outcome.appended).toEqual([`${jobId}:step-0`]);
  });

  it('hands out the step on the plan’s event when its own dispatch failed', async () => {
    const jobId = randomIds.next();
    const outcome = await planWithTheDispatchInFlight(jobId, { failFirst: true });
    expect(outcome.planning).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: 'the log is unreachable' }) });
    expect(outcome.reaction.status).toBe('fulfilled');
    expect(outcome.appended).toEqual([`${jobId}:step-0`, `${jobId}:step-0`]);
    const [task] = await log.readStream('tasks', (await lastSequence('tasks')) - 1, 1);
    expect(task?.payload).toMatchObject({ type: 'ConvertStep', data: { job_id: jobId, step_index: 0 } });
  });

  it('hands out nothing for a ConversionPlanned delivered after its only step already completed', async () => {
    // Planning dispatches the first step at once; the plan's own event may reach the process
    // manager late, when that step is done and the job has nothing left to dispatch.
    const jobId = randomIds.next();
    await given(jobId, [
      request('pdf', 'png'),
      { type: 'PlanConversion', data: { steps: [{ index: 0, from: 'pdf', to: 'png', plugin: 'pdf', options: {} }] } },
      { type: 'StartConversionStep', data: { step_index: 0, attempt: 1 } },
      { type: 'CompleteConversionStep', data: { step_index: 0, output: output(0, 'png') } },
    ]);
    const planned = (await log.readSubject('events', subjects.event('conversion', jobId))).find((message) => (message.payload as EventEnvelope).type === 'ConversionPlanned')!;
    const tasksBefore = await lastSequence('tasks');
    const eventsBefore = await lastSequence('events');
    await manager.react(planned.payload as EventEnvelope, planned.sequence);
    expect(await log.readStream('tasks', tasksBefore, 100)).toEqual([]);
    expect(await log.readStream('events', eventsBefore, 100)).toEqual([]);
  });

  it('deletes intermediate outputs when a job ends but keeps the final one', async () => {
    const jobId = randomIds.next();
    const plan: ConversionCommand = {
      type: 'PlanConversion',
      data: { steps: [{ index: 0, from: 'pptx', to: 'pdf', plugin: 'doc', options: {} }, { index: 1, from: 'pdf', to: 'png', plugin: 'pdf', options: {} }] },
    };
    await (
      await given(jobId, [
        request('pptx', 'png'),
        plan,
        { type: 'StartConversionStep', data: { step_index: 0, attempt: 1 } },
        { type: 'CompleteConversionStep', data: { step_index: 0, output: output(0, 'pdf') } },
        { type: 'StartConversionStep', data: { step_index: 1, attempt: 1 } },
        { type: 'CompleteConversionStep', data: { step_index: 1, output: output(1, 'png') } },
        { type: 'CompleteConversion', data: { output_file_id: 'out1' } },
      ])
    ).whenItReactsToTheLatestEvent();
    expect(blobs.deleted).toEqual([`org/org1/jobs/${jobId}/step-0`]);
  });
  it('plans a retried job again and hands its first step out under the rerun’s own task id', async () => {
    const jobId = randomIds.next();
    await (await given(jobId, [request('pptx', 'png')])).whenItReactsToTheLatestEvent();
    await given(jobId, [{ type: 'FailConversion', data: { error_code: 'conversion_failed', error_message: 'crashed' } }]);
    const rerun = await (await given(jobId, [{ type: 'RetryConversion', data: { actor: 'u1' } }])).whenItReactsToTheLatestEvent();
    expect(rerun.events).toEqual(['ConversionPlanned']);
    expect(rerun.tasks).toEqual([expect.objectContaining({ job_id: jobId, step_index: 0, plugin: 'doc', retry: 1 })]);
  });

  it('dispatches a second retry’s step although the first retry’s was dispatched', async () => {
    const jobId = randomIds.next();
    const fail: ConversionCommand = { type: 'FailConversion', data: { error_code: 'conversion_failed', error_message: 'crashed' } };
    await given(jobId, [request('pptx', 'png')]).then((job) => job.whenItReactsToTheLatestEvent());
    await given(jobId, [fail, { type: 'RetryConversion', data: { actor: 'u1' } }]).then((job) => job.whenItReactsToTheLatestEvent());
    const second = await (await given(jobId, [fail, { type: 'RetryConversion', data: { actor: 'u1' } }])).whenItReactsToTheLatestEvent();
    expect(second.tasks).toEqual([expect.objectContaining({ job_id: jobId, step_index: 0, retry: 2 })]);
  });
});
