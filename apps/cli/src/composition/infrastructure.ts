import {
  createDatabase,
  JetStreamEventLog,
  LocalDiskBlobStore,
  migrateToLatest,
  SqlEventLog,
  type BlobStore,
  type ConveyorConfig,
  type DatabaseHandle,
  type EventLog,
} from '@conveyor/core';
import { mkdir } from 'node:fs/promises';

/** Opens the database the configuration names (PostgreSQL or PGlite) and migrates it. */
export async function openDatabase(config: ConveyorConfig): Promise<DatabaseHandle> {
  if (config.database.kind === 'pglite') await mkdir(config.database.dir, { recursive: true });
  const database = await createDatabase(config.database);
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/**
 * PGlite belongs to one process, so every append is seen at once through the in-process signal;
 * polling only finds expired leases there (a retry rings when it falls due), so while nothing
 * happens it slows to a look every 5 s: an idle server's claims were most of its idle CPU. On
 * PostgreSQL other processes append too, and the poll is what finds their appends.
 */
const pglitePolling = { pollIntervalMs: 1_000, idlePollMaxMs: 5_000 };
const postgresPolling = { pollIntervalMs: 50 };

/** JetStream when NATS_URL is set, otherwise the SQL log in the same database. */
export async function openEventLog(config: ConveyorConfig, database: DatabaseHandle): Promise<EventLog> {
  const log: EventLog =
    config.eventLog.kind === 'jetstream'
      ? new JetStreamEventLog({ url: config.eventLog.url, namespace: config.eventLog.namespace, streamReplicas: config.eventLog.streamReplicas })
      : new SqlEventLog(database.db, database.kind === 'pglite' ? pglitePolling : postgresPolling);
  try {
    await log.initialize();
  } catch (error) {
    // A NATS connection left open would keep the failed process from ever exiting. The reason
    // to report is the initialize failure, not a close that fails after it.
    await log.close().catch(() => undefined);
    throw error;
  }
  return log;
}

/** The S3 bucket when S3_BUCKET is set, otherwise the local blob folder (created if missing). */
export async function openBlobStore(config: ConveyorConfig): Promise<BlobStore> {
  if (config.blobs.kind === 's3') {
    // Loaded only when asked for: the AWS SDK takes a noticeable time to import.
    const { S3BlobStore } = await import('@conveyor/core/s3');
    return new S3BlobStore(config.blobs);
  }
  await mkdir(config.blobs.dir, { recursive: true });
  return new LocalDiskBlobStore(config.blobs.dir);
}
