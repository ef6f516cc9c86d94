import type { Kysely } from 'kysely';
import { appendBatch, type BatchedAppendOutcome, type StreamAppend } from './append.js';
import type { EventLogTables } from './tables.js';
import { WriteBatcher } from './write-batcher.js';

export type AppendBatcher = WriteBatcher<StreamAppend, BatchedAppendOutcome>;

const batchersByDatabase = new WeakMap<object, AppendBatcher>();

/**
 * An append is written at once when none is being written, so that an idle pipeline's hops
 * wait for nothing; under load the appends made meanwhile ride together in the next batch.
 * One batcher per database object: the API and the workers of an all-in-one process each build
 * their own SqlEventLog on the shared database, and their appends should meet in one batch.
 */
export function appendBatcherFor(db: Kysely<EventLogTables>): AppendBatcher {
  let batcher = batchersByDatabase.get(db);
  if (!batcher) batchersByDatabase.set(db, (batcher = new WriteBatcher((items) => appendBatch(db, items), { gatherMs: undefined })));
  return batcher;
}
