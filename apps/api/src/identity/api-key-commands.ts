import { CreateResource, DeleteResource, type CommandEnvelope, type MessageOf } from '@conveyor/contracts';
import type { Clock, IdGenerator } from '@conveyor/core';
import { apiKeyResource, type ApiKeyData } from './api-key-record.js';
import type { Identity } from './identity.js';

type Ports = { ids: IdGenerator; clock: Clock };

/** Who asks, for which key; the HTTP request's id correlates the command with the request's log lines. */
export interface ApiKeyCommandSubject {
  identity: Identity;
  keyId: string;
  requestId: string;
}

function envelope({ identity, keyId, requestId }: ApiKeyCommandSubject, ports: Ports) {
  return {
    id: ports.ids.next(),
    aggregate: 'resource' as const,
    aggregate_id: keyId,
    org_id: identity.orgId,
    issued_at: ports.clock.now().toISOString(),
    correlation_id: requestId,
  };
}

/** The command that stores a new key of the caller's org, the caller as its actor (audited). */
export function createApiKeyCommand(subject: ApiKeyCommandSubject, data: ApiKeyData, ports: Ports): CommandEnvelope<MessageOf<typeof CreateResource>['data']> {
  return {
    ...envelope(subject, ports),
    type: CreateResource.type,
    version: CreateResource.version,
    data: CreateResource.schema.parse({ resource: apiKeyResource, data, actor: subject.identity.userId }),
  };
}

/** The command that revokes a key: its resource is deleted, so it no longer authenticates. */
export function revokeApiKeyCommand(subject: ApiKeyCommandSubject, ports: Ports): CommandEnvelope<MessageOf<typeof DeleteResource>['data']> {
  return {
    ...envelope(subject, ports),
    type: DeleteResource.type,
    version: DeleteResource.version,
    data: DeleteResource.schema.parse({ resource: apiKeyResource, actor: subject.identity.userId }),
  };
}
