import { RegisterUpload, type EventEnvelope } from '@conveyor/contracts';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandHandler } from '../../src/aggregates/command-handler.js';
import { CommandSender } from '../../src/commands/command-sender.js';
import { startDeciderConsumer } from '../../src/consumers/decider-consumer.js';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';
import { migrateToLatest } from '../../src/database/migrate.js';
import type { ConsumerHandle } from '../../src/event-log/port.js';
import { SqlEventLog } from '../../src/event-log/sql/sql-event-log.js';
import { subjects } from '../../src/event-log/subjects.js';
import { ReadModelProjector } from '../../src/projections/read-model-projector.js';
import { ReadModelQueries } from '../../src/read-models/queries.js';
import { ExpiredFileSweeper } from '../../src/retention/expired-file-sweeper.js';
import { randomIds } from '../../src/system/ids.js';
import { systemClock } from '../../src/system/clock.js';

const logger = pino({ level: 'silent' });
const uploadedAt = new Date('2026-12-01T10:00:00.000Z');
const hour = 60 * 60 * 1000;

describe('expired-file sweeper', () => {
  let database: DatabaseHandle;
  let log: SqlEventLog;
  let consumer: ConsumerHandle;
  let projector: ReadModelProjector;
  let readModels: ReadModelQueries;
  let commands: CommandSender;

  beforeEach(async () => {
    database = await createDatabase({ kind: 'pglite' });
    await migrateToLatest(database.db);
    log = new SqlEventLog(database.db, { pollIntervalMs: 10 });
    await log.initialize();
    consumer = await startDeciderConsumer(log, new CommandHandler(log, systemClock), logger, { ackWaitMs: 5_000, maxDeliver: 3, concurrency: 1 });
    projector = new ReadModelProjector(database.db, log, logger);
    projector.start();
    readModels = new ReadModelQueries(database.db);
    commands = new CommandSender(log);
  });

  afterEach(async () => {
    await consumer.stop();
    await projector.stop();
    await log.close();
    await database.close();
  });

  /** Registers a file (as the ingress does) and waits until the read model shows it. */
  async function uploadFile(orgId: string, expiresAt: Date | undefined): Promise<string> {
    const fileId = randomIds.next();
    await commands.send({
      id: randomIds.next(),
      type: RegisterUpload.type,
      version: RegisterUpload.version,
      aggregate: 'file',
      aggregate_id: fileId,
      org_id: orgId,
      issued_at: uploadedAt.toISOString(),
      correlation_id: null,
      data: {
        blob_key: `org/${orgId}/files/${fileId}`,
        size: 5,
        sha256: 'a'.repeat(64),
        format: 'png',
        mime: 'image/png',
        name: `${fileId}.png`,
        visibility: 'private',
        uploaded_at: uploadedAt.toISOString(),
        ...(expiresAt ? { expires_at: expiresAt.toISOString() } : {}),
        source: { kind: 'upload' },
      },
    });
    const shown = await readModels.waitUntil(fileId, () => readModels.file(orgId, fileId), (file) => file !== undefined, 5_000);
    expect(shown, `file ${fileId} projected`).toBeDefined();
    return fileId;
  }

  async function fileEventTypes(fileId: string): Promise<string[]> {
    const events = await log.readSubject('events', subjects.event('file', fileId));
    return events.map((message) => (message.payload as EventEnvelope).type);
  }

  async function waitUntilGone(orgId: string, fileId: string) {
    return readModels.waitUntil(fileId, () => readModels.file(orgId, fileId), (file) => file === undefined, 5_000);
  }

  function sweeper(batchSize?: number) {
    return new ExpiredFileSweeper({ db: database.db, commands, clock: systemClock, logger }, batchSize === undefined ? {} : { batchSize });
  }

  it('expires a file whose expiry has passed: FileExpired is recorded and the file is gone from the read model', async () => {
    const fileId = await uploadFile('org-a', new Date(uploadedAt.getTime() + hour));

    const sent = await sweeper().sweepOnce(new Date(uploadedAt.getTime() + 2 * hour));

    expect(sent).toBe(1);
    expect(await waitUntilGone('org-a', fileId)).toBeUndefined();
    expect(await fileEventTypes(fileId)).toEqual(['FileUploaded', 'FileExpired']);
  });

  it('leaves a file whose expiry is still ahead, and a file that never expires', async () => {
    const later = await uploadFile('org-a', new Date(uploadedAt.getTime() + 3 * hour));
    const kept = await uploadFile('org-b', undefined);

    const sent = await sweeper().sweepOnce(new Date(uploadedAt.getTime() + 2 * hour));

    expect(sent).toBe(0);
    expect(await readModels.file('org-a', later)).toBeDefined();
    expect(await readModels.file('org-b', kept)).toBeDefined();
    expect(await fileEventTypes(later)).toEqual(['FileUploaded']);
  });

  it('expires a file exactly at its expiry time', async () => {
    const expiresAt = new Date(uploadedAt.getTime() + hour);
    const fileId = await uploadFile('org-a', expiresAt);

    expect(await sweeper().sweepOnce(expiresAt)).toBe(1);
    expect(await waitUntilGone('org-a', fileId)).toBeUndefined();
  });

  it('reads past full batches, sending each expired file once, in every org', async () => {
    const files = [];
    for (let i = 0; i < 5; i++) {
      const orgId = i % 2 === 0 ? 'org-a' : 'org-b';
      files.push({ orgId, fileId: await uploadFile(orgId, new Date(uploadedAt.getTime() + i * 1000)) });
    }

    const sent = await sweeper(2).sweepOnce(new Date(uploadedAt.getTime() + hour));

    expect(sent).toBe(5);
    for (const { orgId, fileId } of files) {
      expect(await waitUntilGone(orgId, fileId)).toBeUndefined();
      expect(await fileEventTypes(fileId)).toEqual(['FileUploaded', 'FileExpired']);
    }
  });

  it('sends the same command id for a file swept twice before the projection caught up, so the log keeps one', async () => {
    const fileId = await uploadFile('org-a', new Date(uploadedAt.getTime() + hour));
    const now = new Date(uploadedAt.getTime() + 2 * hour);

    await Promise.all([sweeper().sweepOnce(now), sweeper().sweepOnce(now)]);

    await waitUntilGone('org-a', fileId);
    const expiries = (await log.readSubject('commands', subjects.command('file', fileId))).filter((message) => (message.payload as { type: string }).type === 'ExpireFile');
    expect(expiries).toHaveLength(1);
    expect(await fileEventTypes(fileId)).toEqual(['FileUploaded', 'FileExpired']);
  });

  it('starts a sweep only once the one under way has ended', async () => {
    await uploadFile('org-a', new Date(uploadedAt.getTime() + hour));
    let sending = 0;
    let mostAtOnce = 0;
    const slowSender = {
      async send(command: Parameters<CommandSender['send']>[0]) {
        mostAtOnce = Math.max(mostAtOnce, ++sending);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await commands.send(command);
        sending--;
      },
    } as CommandSender;
    const serial = new ExpiredFileSweeper({ db: database.db, commands: slowSender, clock: systemClock, logger });
    const now = new Date(uploadedAt.getTime() + 2 * hour);

    await Promise.all([serial.sweepOnce(now), serial.sweepOnce(now)]);

    expect(mostAtOnce).toBe(1);
  });

  it('sweeps on its timer until stopped', async () => {
    const fileId = await uploadFile('org-a', new Date(uploadedAt.getTime() + hour));
    const running = sweeper();

    running.start(20);
    const gone = await waitUntilGone('org-a', fileId);
    await running.stop();

    expect(gone).toBeUndefined();
    expect(await fileEventTypes(fileId)).toEqual(['FileUploaded', 'FileExpired']);
  });
});
