import { AppError } from '@conveyor/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { ApiDependencies } from '../dependencies.js';
import { toApiKeyRecord } from './api-key-record.js';
import { hashApiKey } from './api-key-secret.js';
import type { Identity } from './identity.js';
import { scopesWithinRole } from './role-scopes.js';

/**
 * The identity an `X-API-Key` stands for: its creator in its org, with the key's scopes as far
 * as the creator's role allowed them when the key was made. An unknown or revoked key is 401.
 * Each use is noted (throttled) for the key's `last_used_at`.
 */
export async function apiKeyIdentity(
  key: string,
  deps: Pick<ApiDependencies, 'readModels' | 'apiKeyUsage' | 'clock'>,
  log: FastifyBaseLogger,
): Promise<Identity> {
  const view = key === '' ? undefined : await deps.readModels.apiKeyByHash(hashApiKey(key));
  if (view === undefined) throw new AppError('unauthorized', 'invalid or revoked API key');
  const record = toApiKeyRecord(view);
  // Usage is bookkeeping: a failure to note it must not refuse the caller.
  await deps.apiKeyUsage.record(record.id, deps.clock.now()).catch((error: unknown) => log.warn({ err: error, api_key_id: record.id }, 'could not record API key usage'));
  return {
    orgId: record.orgId,
    userId: record.created_by,
    role: record.role,
    kind: 'api_key',
    scopes: scopesWithinRole(record.scopes, record.role),
    apiKeyId: record.id,
  };
}
