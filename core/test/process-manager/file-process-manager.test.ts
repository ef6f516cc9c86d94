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

  const blob = (fileId: string): StoredBlob => ({ blob_key: `org/org1/files/${fileId}`, size: 10, sha256: 'e'.repeat(64), format: 'jpeg', mime: 'image/jpeg' });

  /** Handles the command on the file and has the manager react to the event it made. */
  async function onFile(fileId: string, command: FileCommand): Promise<void> {
    const handled = await commands.handle(fileAggregate, { aggregateId: fileId, orgId: 'org1', commandId: randomIds.next(), correlationId: null }, command);
    const messages = await log.readSubject('events', subjects.event('file', fileId));
    for (const event of handled.events) {
      const message = messages.find((m) => (m.payload as EventEnvelope).id === event.id)!;
      await manager.react(event, message.sequence);
    }
  }

  const upload = (fileId: string, source: { kind: 'upload' } | { kind: 'conversion'; job_id: string; source_file_id: string } = { kind: 'upload' }): FileCommand => ({
    type: 'RegisterUpload',
    data: { ...blob(fileId), name: 'a.jpg', visibility: 'private', uploaded_at: new Date().toISOString(), source },
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

  it('has an upload scanned, and read for metadata only once the scanner passed it', async () => {
    const fileId = randomIds.next();
    await onFile(fileId, upload(fileId));
    expect(await tasksFor(fileId)).toEqual(['ScanFile']);
    await onFile(fileId, verdict('clean'));
    expect(await tasksFor(fileId)).toEqual(['ScanFile', 'InspectMetadata']);
  });

  it('never has a quarantined upload read for metadata', async () => {
    const fileId = randomIds.next();
    await onFile(fileId, upload(fileId));
    await onFile(fileId, verdict('infected'));
    expect(await tasksFor(fileId)).toEqual(['ScanFile']);
  });

  it('reads a conversion’s output for metadata at once, without a scan', async () => {
    const fileId = randomIds.next();
    await onFile(fileId, upload(fileId, { kind: 'conversion', job_id: randomIds.next(), source_file_id: randomIds.next() }));
    expect(await tasksFor(fileId)).toEqual(['InspectMetadata']);
  });
});
