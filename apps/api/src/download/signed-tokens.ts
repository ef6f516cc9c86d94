import { createHmac, timingSafeEqual } from 'node:crypto';

const urlSafe = /^[A-Za-z0-9_-]+$/;

/**
 * Tokens that carry their message, `<message>.<signature>` (HMAC-SHA256, base64url), so that any
 * api process holding the key verifies them without a lookup. The message is readable by whoever
 * holds the token: it must say nothing the holder may not know.
 */
export class SignedTokens {
  constructor(private readonly key: Buffer) {}

  /** `message` must be URL-safe (base64url characters), so that the token needs no escaping. */
  sign(message: string): string {
    if (!urlSafe.test(message)) throw new Error('a signed message must be URL-safe');
    return `${message}.${this.signature(message).toString('base64url')}`;
  }

  /** The message of a token this key signed; undefined for any other text. */
  verify(token: string): string | undefined {
    const [message, signature, ...rest] = token.split('.');
    if (message === undefined || signature === undefined || rest.length > 0 || !urlSafe.test(message)) return undefined;
    const given = Buffer.from(signature, 'base64url');
    const expected = this.signature(message);
    // Same length first: timingSafeEqual throws otherwise, and a signature's length is no secret.
    return given.length === expected.length && timingSafeEqual(given, expected) ? message : undefined;
  }

  private signature(message: string): Buffer {
    return createHmac('sha256', this.key).update(message).digest();
  }
}
