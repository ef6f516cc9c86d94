import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, LocalDiskBlobStore, migrateToLatest, SqlEventLog, type Delivery } from '@conveyor/core';

/** Limits roomy enough that no test input meets them unless it means to. */
export const roomyLimits = { maxPixels: 1e8, timeoutMs: 10_000, maxDurationSeconds: 3_600, maxPages: 100, maxDecompressedBytes: 1e9 };

/** What a runner test runs against: an in-memory PGlite with the SQL event log, a blob folder and a work folder. */
export interface RunnerFixture {
  log: SqlEventLog;
  blobs: LocalDiskBlobStore;
  workDir: string;
  close(): Promise<void>;
}

export async function runnerFixture(name: string): Promise<RunnerFixture> {
  const root = await mkdtemp(join(tmpdir(), `${name}-`));
  const database = await createDatabase({ kind: 'pglite' });
  await migrateToLatest(database.db);
  const log = new SqlEventLog(database.db);
  await log.initialize();
  const workDir = join(root, 'work');
  await mkdir(workDir);
  return {
    log,
    blobs: new LocalDiskBlobStore(join(root, 'blobs')),
    workDir,
    close: async () => {
      await log.close();
      await database.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A task's delivery as a consumer hands it over; the runners read only its count and heartbeat. */
export function taskDelivery(subject: string, deliveryCount = 1): Delivery {
  return { message: { stream: 'tasks', sequence: 1, subject, payload: {}, storedAt: new Date().toISOString() }, deliveryCount, working: () => {} } as unknown as Delivery;
}
