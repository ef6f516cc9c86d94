import type { EventEnvelope, ResourceEvent } from '@conveyor/contracts';

/** A resources row as the projection computes it; `undefined` once deleted. */
export interface ResourceRow {
  id: string;
  org_id: string;
  resource: string;
  data: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** Applies one resource event to its row; pure and idempotent. A deleted record has no row. */
export function evolveResourceRow(row: ResourceRow | undefined, envelope: EventEnvelope): ResourceRow | undefined {
  const event = { type: envelope.type, data: envelope.data } as ResourceEvent;
  switch (event.type) {
    case 'ResourceCreated':
      return (
        row ?? {
          id: envelope.aggregate_id,
          org_id: envelope.org_id,
          resource: event.data.resource,
          data: event.data.data,
          created_at: event.data.created_at,
          updated_at: event.data.created_at,
        }
      );
    case 'ResourceUpdated':
      return row && { ...row, data: { ...row.data, ...event.data.changes }, updated_at: event.data.updated_at };
    case 'ResourceDeleted':
      return undefined;
  }
}
