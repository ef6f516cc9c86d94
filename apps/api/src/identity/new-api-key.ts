import { AppError } from '@conveyor/contracts';
import type { ApiKeyData } from './api-key-record.js';
import type { MintedApiKey } from './api-key-secret.js';
import type { Identity, Scope } from './identity.js';

/**
 * What a key the caller asks for will hold. A key may do no more than its creator: asking for a
 * scope the caller lacks is 403, rather than a key silently narrower than asked.
 */
export function newApiKeyData(creator: Identity, request: { name: string; scopes: readonly Scope[] }, minted: MintedApiKey): ApiKeyData {
  const beyond = request.scopes.filter((scope) => !creator.scopes.includes(scope));
  if (beyond.length > 0) throw new AppError('forbidden', `a key cannot have scopes its creator lacks: ${beyond.join(', ')}`);
  return {
    name: request.name,
    scopes: [...new Set(request.scopes)],
    role: creator.role,
    key_hash: minted.hash,
    prefix: minted.prefix,
    created_by: creator.userId,
  };
}
