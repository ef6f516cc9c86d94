import { createHash } from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A deterministic id derived from another id and a purpose: the same inputs give the same id,
 * so that a retried step (a redelivered command or task) names what it creates the same way and
 * de-duplication catches the repeat. Keeps the parent's time prefix, so ordering by id still
 * follows creation.
 */
export function deriveId(parentId: string, purpose: string): string {
  const digest = createHash('sha256').update(`${parentId}\u0000${purpose}`).digest();
  let tail = '';
  for (let i = 0; i < 16; i++) tail += alphabet[digest[i]! % 32];
  return parentId.slice(0, 10) + tail;
}
