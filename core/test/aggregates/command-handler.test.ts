import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversionAggregate } from '../../src/aggregates/aggregate-types.js';
import { CommandHandler } from '../../src/aggregates/command-handler.js';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';
import { migrateToLatest } from '../../src/database/migrate.js';
import type { StoredMessage } from '../../src/event-log/port.js';
import { SqlEventLog } from '../../src/event-log/sql/sql-event-log.js';
import { subjects } from '../../src/event-log/subjects.js';
import { systemClock } from '../../src/system/clock.js';
import { randomIds } from '../../src/system/ids.js';

describe('command handler', () => {
  let database: DatabaseHandle;
  let log: SqlEventLog;

  beforeAll(async () => {
    database = await createDatabase({ kind: 'pglite' });
    await migrateToLatest(database.db);
    log = new SqlEventLog(database.db);
    await log.initialize();
  });

  afterAll(async () => {
    await log.close();
    await database.close();
  });

  const meta = (jobId: string) => ({ aggregateId: jobId, orgId: 'org1', commandId: randomIds.next(), correlationId: jobId });
  const request = {
    type: 'RequestConversion' as const,
    data: { file_id: 'f1', source_name: 'a.png', source_format: 'png', source_blob_key: 'k', target_format: 'webp', options: {} },
  };
  const plan = {
    type: 'PlanConversion' as const,
    data: { steps: [{ index: 0, from: 'png', to: 'webp', plugin: 'image', options: {} }] },
  };

  it('re-reads the log when its cached state refuses a command another writer made valid', async () => {
    const jobId = randomIds.next();
    const reader = new CommandHandler(log, systemClock);
    const writer = new CommandHandler(log, systemClock);
    // The reader caches "no such job", then another handler (another process) creates it.
    await expect(reader.handle(conversionAggregate, meta(jobId), plan)).rejects.toThrow(/no such conversion/);
    await writer.handle(conversionAggregate, meta(jobId), request);
    const planned = await reader.handle(conversionAggregate, meta(jobId), plan);
    expect(planned.events.map((event) => event.type)).toEqual(['ConversionPlanned']);
  });

  it('appends on top of events it has not seen, through a concurrency conflict and a retry', async () => {
    const jobId = randomIds.next();
    const stale = new CommandHandler(log, systemClock);
    const other = new CommandHandler(log, systemClock);
    await stale.handle(conversionAggregate, meta(jobId), request);
    await other.handle(conversionAggregate, meta(jobId), plan);
    await stale.handle(conversionAggregate, meta(jobId), { type: 'StartConversionStep', data: { step_index: 0, attempt: 1 } });
    const types = (await log.readSubject('events', subjects.event('conversion', jobId))).map((m) => (m.payload as { type: string }).type);
    expect(types).toEqual(['ConversionRequested', 'ConversionPlanned', 'ConversionStepStarted']);
  });

  it('creates a new aggregate without reading the log, and still refuses a second creation of it', async () => {
    const jobId = randomIds.next();
    let reads = 0;
    const counting = new Proxy(log, {
      get(target, property, receiver) {
        if (property === 'readSubject') reads++;
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const created = await new CommandHandler(counting, systemClock).handle(conversionAggregate, meta(jobId), request);
    expect(created.events.map((event) => event.type)).toEqual(['ConversionRequested']);
    expect(reads).toBe(0);
    const again = await new CommandHandler(counting, systemClock).handle(conversionAggregate, meta(jobId), request);
    expect(again.events).toEqual([]);
    expect(reads).toBe(1);
    expect(await log.readSubject('events', subjects.event('conversion', jobId))).toHaveLength(1);
  });

  /** The log, with where each read of `subject` started recorded in `readsFrom`. */
  function recordingReadsOf(subject: string) {
    const readsFrom: number[] = [];
    const recording = new Proxy(log, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'readSubject') return typeof value === 'function' ? value.bind(target) : value;
        return (stream: 'events', readSubject: string, afterSequence = 0) => {
          if (readSubject === subject) readsFrom.push(afterSequence);
          return target.readSubject(stream, readSubject, afterSequence);
        };
      },
    });
    return { recording, readsFrom };
  }

  /**
   * A job a reader requested, which another handler (another process) then planned and started:
   * the reader's cache is two events behind. Its reads of the job's subject are recorded.
   */
  async function jobStartedBehindReader() {
    const jobId = randomIds.next();
    const subject = subjects.event('conversion', jobId);
    const { recording, readsFrom } = recordingReadsOf(subject);
    const reader = new CommandHandler(recording, systemClock);
    const writer = new CommandHandler(log, systemClock);
    await reader.handle(conversionAggregate, meta(jobId), request);
    await writer.handle(conversionAggregate, meta(jobId), plan);
    const started = await writer.handle(conversionAggregate, meta(jobId), { type: 'StartConversionStep', data: { step_index: 0, attempt: 1 } });
    const [requestedMessage, plannedMessage, startedMessage] = await log.readSubject('events', subject);
    return { jobId, reader, readsFrom, startedState: started.state, messages: { requested: requestedMessage!, planned: plannedMessage!, started: startedMessage! } };
  }

  it('catches a cached state up by reading only the events appended since it', async () => {
    const { jobId, reader, readsFrom, startedState, messages } = await jobStartedBehindReader();
    const lastSequence = messages.started.sequence;

    const state = await reader.stateAt(conversionAggregate, jobId, lastSequence);
    expect(readsFrom).toEqual([messages.requested.sequence]);
    expect(state).toEqual(startedState);
    expect(state.phase).toBe('processing');
    // Now current: the next read of it starts after the last event.
    await reader.stateAt(conversionAggregate, jobId, lastSequence + 1);
    expect(readsFrom).toEqual([messages.requested.sequence, lastSequence]);
  });

  it('after a concurrency conflict, reads only the events it had not seen before appending again', async () => {
    const jobId = randomIds.next();
    const subject = subjects.event('conversion', jobId);
    const { recording, readsFrom } = recordingReadsOf(subject);
    const stale = new CommandHandler(recording, systemClock);
    await stale.handle(conversionAggregate, meta(jobId), request);
    await stale.handle(conversionAggregate, meta(jobId), plan);
    const planned = (await log.readSubject('events', subject)).at(-1)!;
    // Another process starts the step: a cancel is as valid on the stale state as on the real
    // one, so the stale handler appends, conflicts, and must catch up to append again.
    await new CommandHandler(log, systemClock).handle(conversionAggregate, meta(jobId), { type: 'StartConversionStep', data: { step_index: 0, attempt: 1 } });

    const cancelled = await stale.handle(conversionAggregate, meta(jobId), { type: 'CancelConversion', data: {} });
    expect(cancelled.events.map((event) => event.type)).toEqual(['ConversionCancelled']);
    expect(readsFrom).toEqual([planned.sequence]);
    const types = (await log.readSubject('events', subject)).map((m) => (m.payload as { type: string }).type);
    expect(types).toEqual(['ConversionRequested', 'ConversionPlanned', 'ConversionStepStarted', 'ConversionCancelled']);
  });

  /** `message` as the JetStream log delivers it: with the subject's previous sequence, which the SQL log does not report. */
  const delivered = (message: StoredMessage, previousSubjectSequence: number): StoredMessage => ({ ...message, previousSubjectSequence });

  it('folds a delivered event onto the state it caches as of the event’s predecessor, and reads nothing', async () => {
    const jobId = randomIds.next();
    const subject = subjects.event('conversion', jobId);
    const { recording, readsFrom } = recordingReadsOf(subject);
    const reader = new CommandHandler(recording, systemClock);
    await reader.handle(conversionAggregate, meta(jobId), request);
    const planned = await new CommandHandler(log, systemClock).handle(conversionAggregate, meta(jobId), plan);
    const [requestedMessage, plannedMessage] = await log.readSubject('events', subject);

    reader.observe(delivered(plannedMessage!, requestedMessage!.sequence));

    expect(await reader.stateAt(conversionAggregate, jobId, plannedMessage!.sequence)).toEqual(planned.state);
    expect(readsFrom).toEqual([]);
  });

  it('leaves its cache alone when a delivered event does not follow on from it, and reads instead', async () => {
    const { jobId, reader, readsFrom, startedState, messages } = await jobStartedBehindReader();

    // The planning event was never seen: folding the start onto "requested" would skip it.
    reader.observe(delivered(messages.started, messages.planned.sequence));
    // A message the log does not place is no help either.
    reader.observe(messages.started);

    expect(await reader.stateAt(conversionAggregate, jobId, messages.started.sequence)).toEqual(startedState);
    expect(readsFrom).toEqual([messages.requested.sequence]);
  });

  it('starts a cached state from an aggregate’s first event without reading', async () => {
    const jobId = randomIds.next();
    const subject = subjects.event('conversion', jobId);
    const { recording, readsFrom } = recordingReadsOf(subject);
    const requested = await new CommandHandler(log, systemClock).handle(conversionAggregate, meta(jobId), request);
    const [requestedMessage] = await log.readSubject('events', subject);
    const observer = new CommandHandler(recording, systemClock);

    observer.observe(delivered(requestedMessage!, 0));

    expect(await observer.stateAt(conversionAggregate, jobId, requestedMessage!.sequence)).toEqual(requested.state);
    expect(readsFrom).toEqual([]);
  });

  it('stores a repeated command’s events once', async () => {
    const jobId = randomIds.next();
    const handler = new CommandHandler(log, systemClock);
    const first = meta(jobId);
    await handler.handle(conversionAggregate, first, request);
    await new CommandHandler(log, systemClock).handle(conversionAggregate, first, request);
    expect(await log.readSubject('events', subjects.event('conversion', jobId))).toHaveLength(1);
  });
});
