import type { EventEnvelope } from '@conveyor/contracts';
import type { StoredMessage } from '../event-log/port.js';
import { evolveConversionJobRow, type ConversionJobRow } from './conversion-job-row.js';
import { evolveFileRow, type FileRow } from './file-row.js';
import { usageDeltas, type RowChanges, type UsageDelta } from './org-usage.js';
import { emptyRows, type KnownRows, type ReadModelRows } from './projected-rows.js';
import { evolveResourceRow, type ResourceRow } from './resource-row.js';

/** One audit log entry: an event of an org, by its sequence. */
export interface AuditEntry {
  sequence: number;
  id: string;
  org_id: string;
  type: string;
  aggregate: string;
  aggregate_id: string;
  occurred_at: string;
  data: unknown;
}

/** What one batch of events does to the read models. */
export interface ReadModelChanges {
  jobs: RowChanges<ConversionJobRow>;
  files: RowChanges<FileRow>;
  resources: RowChanges<ResourceRow>;
  usage: UsageDelta[];
  audit: AuditEntry[];
}

const tableOf: Partial<Record<string, keyof ReadModelRows>> = { conversion: 'jobs', file: 'files', resource: 'resources' };

/** The ids of the rows `envelopes` touch, by table. */
export function touchedIds(envelopes: readonly EventEnvelope[]): Record<keyof ReadModelRows, Set<string>> {
  const ids = { jobs: new Set<string>(), files: new Set<string>(), resources: new Set<string>() };
  for (const envelope of envelopes) {
    const table = tableOf[envelope.aggregate];
    if (table) ids[table].add(envelope.aggregate_id);
  }
  return ids;
}

/**
 * Evolves the rows the batch touches from `before` (which holds each of them, `undefined` for
 * one that does not exist) through `fresh`, the batch's events not yet applied.
 */
export function changesOf(fresh: readonly StoredMessage[], before: ReadModelRows): ReadModelChanges {
  const after = emptyRows();
  const evolve = <Row>(rows: KnownRows<Row>, prior: KnownRows<Row>, envelope: EventEnvelope, step: (row: Row | undefined, e: EventEnvelope) => Row | undefined) => {
    const current = rows.has(envelope.aggregate_id) ? rows.get(envelope.aggregate_id) : prior.get(envelope.aggregate_id);
    rows.set(envelope.aggregate_id, step(current, envelope));
  };
  const audit: AuditEntry[] = [];
  for (const message of fresh) {
    const envelope = message.payload as EventEnvelope;
    if (envelope.aggregate === 'conversion') evolve(after.jobs, before.jobs, envelope, evolveConversionJobRow);
    else if (envelope.aggregate === 'file') evolve(after.files, before.files, envelope, evolveFileRow);
    else if (envelope.aggregate === 'resource') evolve(after.resources, before.resources, envelope, evolveResourceRow);
    // System events (dead letters) belong to no org's audit log.
    if (envelope.aggregate !== 'system' && envelope.org_id !== '') audit.push(auditEntryOf(message.sequence, envelope));
  }
  const jobs = { before: before.jobs, after: after.jobs };
  const files = { before: before.files, after: after.files };
  return { jobs, files, resources: { before: before.resources, after: after.resources }, usage: usageDeltas(files, jobs), audit };
}

function auditEntryOf(sequence: number, envelope: EventEnvelope): AuditEntry {
  return {
    sequence,
    id: envelope.id,
    org_id: envelope.org_id,
    type: envelope.type,
    aggregate: envelope.aggregate,
    aggregate_id: envelope.aggregate_id,
    occurred_at: envelope.occurred_at,
    data: envelope.data,
  };
}
