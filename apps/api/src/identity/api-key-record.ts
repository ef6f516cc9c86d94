import type { ResourceView } from '@conveyor/core';
import { roles, scopes, type Role, type Scope } from './identity.js';

/** The generic resource an API key is stored as. */
export const apiKeyResource = 'api-key';

/** What an API key's resource holds: never the key, only its hash and a prefix to recognise it by. */
export interface ApiKeyData {
  name: string;
  scopes: Scope[];
  /** The creator's role when the key was made: the most the key may ever do. */
  role: Role;
  key_hash: string;
  prefix: string;
  created_by: string;
}

/** A stored API key: its resource's id, org and creation time with its data. */
export interface ApiKeyRecord extends ApiKeyData {
  id: string;
  orgId: string;
  createdAt: string;
}

const isText = (value: unknown): value is string => typeof value === 'string';

function isApiKeyData(data: Record<string, unknown>): data is Record<string, unknown> & ApiKeyData {
  return (
    isText(data.name) &&
    Array.isArray(data.scopes) &&
    data.scopes.every((scope) => scopes.includes(scope as Scope)) &&
    roles.includes(data.role as Role) &&
    isText(data.key_hash) &&
    isText(data.prefix) &&
    isText(data.created_by)
  );
}

/** The key a resource row holds; throws when the row is not a well-formed API key, which only a bug can cause. */
export function toApiKeyRecord(view: ResourceView): ApiKeyRecord {
  const { data } = view;
  if (view.resource !== apiKeyResource || !isApiKeyData(data)) throw new Error(`resource ${view.id} is not a well-formed API key`);
  const { name, scopes: keyScopes, role, key_hash: keyHash, prefix, created_by: createdBy } = data;
  return { name, scopes: keyScopes, role, key_hash: keyHash, prefix, created_by: createdBy, id: view.id, orgId: view.org_id, createdAt: view.created_at };
}
