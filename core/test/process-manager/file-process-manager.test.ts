import type { EventEnvelope, FileCommand, StoredBlob } from '@conveyor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileAggregate } from '../../src/aggregates/aggregate-types.js';
import { CommandHandler } from '../../src/aggregates/command-handler.js';
import type { BlobStore } from '../../src/blob-store/port.js';
import { SqlEventLog } from '../../src/event-log/sql/sql-event-log.js';
import { subjects } from '../../src/event-log/subjects.js';
import { FileProcessManager } from '../../src/process-manager/file-process-manager.js';
import { systemClock } from '../../src/system/clock.js';
import { randomIds } from '../../src/system/ids.js';
import { migratedPglite, type TestDatabase } from '../support/test-databases.js';

describe('file process manager', () => {
  let database: TestDatabase;
  let log: SqlEventLog;
  let commands: CommandHandler;
  let manager: FileProcessManager;

  beforeAll(async () => {
    database = await migratedPglite();
    log = new SqlEventLog(database.database.db);
    await log.initialize();
    commands = new CommandHandler(log, systemClock);
    const noBlobs = {} as BlobStore; // these reactions never touch bytes
    manager = new FileProcessManager(log, commands, noBlobs, { readsMetadataOf: (format) => format === 'jpeg' }, systemClock);
  });

  afterAll(async () => {
    await log.close();
    await database.cleanup();
  });

  const blob = (fileId: string, format = 'jpeg'): StoredBlob => ({ blob_key: `org/org1/files/${fileId}`, size: 10, sha256: 'e'.repeat(64), format, mime: `image/${format}` });

  /** Handles the command on the file and has the manager react to the event it made. */
  async function onFile(fileId: string, command: FileCommand): Promise<void> {
    const handled = await commands.handle(fileAggregate, { aggregateId: fileId, orgId: 'org1', commandId: randomIds.next(), correlationId: null }, command);
    const messages = await log.readSubject('events', subjects.event('file', fileId));
    for (const event of handled.events) {
      const message = messages.find((m) => (m.payload as EventEnvelope).id === event.id)!;
      await manager.react(event, message.sequence);
    }
  }

  const upload = (fileId: string, source: { kind: 'upload' } | { kind: 'conversion'; job_id: string; source_file_id: string } = { kind: 'upload' }, format = 'jpeg'): FileCommand => ({
    type: 'RegisterUpload',
    data: { ...blob(fileId, format), name: `a.${format}`, visibility: 'private', uploaded_at: new Date().toISOString(), source },
  });
  const verdict = (value: 'clean' | 'infected'): FileCommand => ({ type: 'RecordScanVerdict', data: { verdict: value, engine: 'builtin', reason: value === 'clean' ? '' : 'EICAR' } });

  /** The ids of the tasks handed out for `fileId`, in order. */
  async function tasksFor(fileId: string): Promise<string[]> {
    const tasks = await log.readStream('tasks', 0, 1000);
    return tasks
      .map((message) => message.payload as { type: string; data: { file_id: string } })
      .filter((task) => task.data.file_id === fileId)
      .map((task) => task.type);
  }

  const askForMetadata: FileCommand = { type: 'RequestMetadataProbe', data: {} };

  it('has an upload scanned, and reads no metadata nobody asked for', async () => {
    const fileId = randomIds.next();
    await onFile(fileId, upload(fileId));
    expect(await tasksFor(fileId)).toEqual(['ScanFile']);
    await onFile(fileId, verdict('clean'));
    expect(await tasksFor(fileId)).toEqual(['ScanFile']);
  });

  it('reads a scanned upload’s metadata when asked, once', async () => {
    const fileId = randomIds.next();
    await onFile(fileId, upload(fileId));
    await onFile(fileId, verdict('clean'));
    await onFile(fileId, askForMetadata);
    await onFile(fileId, askForMetadata);
    expect(await tasksFor(fileId)).toEqual(['ScanFile', 'InspectMetadata']);
  });

  it('holds a request made during the scan until the scanner has passed the file', async () => {
    const fileId = randomIds.next();
    await onFile(fileId, upload(fileId));
    await onFile(fileId, askForMetadata);
    expect(await tasksFor(fileId)).toEqual(['ScanFile']);
    await onFile(fileId, verdict('clean'));
    expect(await tasksFor(fileId)).toEqual(['ScanFile', 'InspectMetadata']);
  });

  it('never has a quarantined upload read for metadata', async () => {
    const fileId = randomIds.next();
    await onFile(fileId, upload(fileId));
    await onFile(fileId, askForMetadata);
    await onFile(fileId, verdict('infected'));
    expect(await tasksFor(fileId)).toEqual(['ScanFile']);
  });

  it('reads a conversion’s output for metadata when asked, without a scan', async () => {
    const fileId = randomIds.next();
    await onFile(fileId, upload(fileId, { kind: 'conversion', job_id: randomIds.next(), source_file_id: randomIds.next() }));
    expect(await tasksFor(fileId)).toEqual([]);
    await onFile(fileId, askForMetadata);
    expect(await tasksFor(fileId)).toEqual(['InspectMetadata']);
  });

  it('records a format no tool reads as carrying nothing, without a task', async () => {
    const fileId = randomIds.next();
    await onFile(fileId, upload(fileId, { kind: 'upload' }, 'png'));
    await onFile(fileId, verdict('clean'));
    await onFile(fileId, askForMetadata);
    expect(await tasksFor(fileId)).toEqual(['ScanFile']);
    const state = await commands.stateAt(fileAggregate, fileId, Number.POSITIVE_INFINITY);
    expect(state.exists && state.probedVersion).toBe(1);
  });
});
