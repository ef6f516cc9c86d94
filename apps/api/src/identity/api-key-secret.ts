import { createHash, randomBytes } from 'node:crypto';

/** How much of a key is stored in the clear and listed, so that users can tell their keys apart. */
const prefixLength = 12;

/** A new API key: the key itself (shown once), its listed prefix and the hash stored in its place. */
export interface MintedApiKey {
  key: string;
  prefix: string;
  hash: string;
}

/**
 * The hash an API key is stored and looked up by. A plain sha256 suffices: the key is 32 random
 * bytes, so there is nothing to guess and no need for a slow password hash.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Mints a key: `cvk_` followed by 32 random bytes in base64url.
 *
 * @example
 * const { key, prefix, hash } = mintApiKey(); // key 'cvk_Qm9…', prefix 'cvk_Qm9xZ1aB'
 */
export function mintApiKey(randomSource: (size: number) => Buffer = randomBytes): MintedApiKey {
  const key = `cvk_${randomSource(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, prefixLength), hash: hashApiKey(key) };
}
