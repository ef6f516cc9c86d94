import { randomBytes } from 'node:crypto';

export interface IdGenerator {
  /** A new id: 26 characters, time-ordered, so that keyset pagination follows creation. */
  next(): string;
}

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = alphabet[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** ULID-shaped ids from the system clock and crypto randomness. */
export const randomIds: IdGenerator = {
  next() {
    const random = randomBytes(16);
    let tail = '';
    for (let i = 0; i < 16; i++) tail += alphabet[random[i]! % 32];
    return encodeTime(Date.now()) + tail;
  },
};
