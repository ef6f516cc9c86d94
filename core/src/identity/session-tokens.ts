import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Anonymous session tokens: `<org_id>.<signature>`, signed with a server secret, so that any
 * api process sharing the secret can verify them without a lookup.
 */
export class SessionTokens {
  constructor(private readonly secret: Buffer) {}

  issue(orgId: string): string {
    return `${orgId}.${this.sign(orgId)}`;
  }

  /** The org a token belongs to, or undefined when it is malformed or forged. */
  verify(token: string): string | undefined {
    const dot = token.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const orgId = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.sign(orgId));
    return given.length === expected.length && timingSafeEqual(given, expected) ? orgId : undefined;
  }

  /**
   * A key for another kind of signed token, derived from the session secret so that no further
   * secret needs configuring, and distinct per `purpose` so that no token passes for another kind.
   *
   * @example new SignedDownloadLinks(sessions.derivedKey('download-link'), clock)
   */
  derivedKey(purpose: string): Buffer {
    return createHmac('sha256', this.secret).update(`derived-key:${purpose}`).digest();
  }

  private sign(orgId: string): string {
    return createHmac('sha256', this.secret).update(`session:${orgId}`).digest('base64url');
  }
}

export function randomSecret(): Buffer {
  return randomBytes(32);
}
