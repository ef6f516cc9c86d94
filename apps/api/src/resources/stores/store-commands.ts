import type { AggregateKind, CommandEnvelope } from '@conveyor/contracts';
import type { Clock, IdGenerator } from '@conveyor/core';
import type { StoreCall } from '../resource-definition.js';

/** How long a write's answer waits for the projection to show it (read-your-writes). */
export const projectionWaitMs = 5000;

/** A command kind as contracts declares it: its payload schema parses (and so validates) the data. */
interface CommandKind<Data> {
  type: string;
  version: number;
  schema: { parse(data: unknown): Data };
}

/**
 * A command of the caller's org to one aggregate, correlated with the HTTP request so that its
 * events can be traced to the request's log lines. The payload is parsed against its contract
 * schema, so a malformed one fails here rather than in the decider.
 */
export function storeCommand<Data>(
  kind: CommandKind<Data>,
  target: { aggregate: AggregateKind; aggregateId: string },
  call: StoreCall,
  data: unknown,
  ports: { ids: IdGenerator; clock: Clock },
): CommandEnvelope<Data> {
  return {
    id: ports.ids.next(),
    type: kind.type,
    version: kind.version,
    aggregate: target.aggregate,
    aggregate_id: target.aggregateId,
    org_id: call.identity.orgId,
    issued_at: ports.clock.now().toISOString(),
    correlation_id: call.request.id,
    data: kind.schema.parse(data),
  };
}
