import type { Clock, SessionTokens } from '@conveyor/core';
import { z } from 'zod/v4';
import { SignedTokens } from './signed-tokens.js';

/** What a download link grants: one file of one org, until it expires. */
export interface DownloadGrant {
  orgId: string;
  fileId: string;
  expiresAt: Date;
}

const claimsSchema = z.object({ org: z.string(), file: z.string(), exp: z.number().int() });
type DownloadLinkClaims = z.infer<typeof claimsSchema>;

/** The longest a download link may live: a week, so that a leaked link does not work for ever. */
export const maxDownloadLinkSeconds = 7 * 24 * 3600;

/**
 * The `?dl=<token>` of a plain download link: a signed grant to fetch one file without any
 * credential. Nothing is stored, so a link cannot be revoked before it expires — which is why
 * its life is bounded.
 *
 * @example
 * const links = SignedDownloadLinks.fromSessions(deps.sessions, deps.clock);
 * const token = links.sign(orgId, fileId, new Date(Date.now() + 3600_000));
 * links.verify(token); // { orgId, fileId, expiresAt }
 */
export class SignedDownloadLinks {
  private readonly tokens: SignedTokens;

  constructor(
    key: Buffer,
    private readonly clock: Clock,
  ) {
    this.tokens = new SignedTokens(key);
  }

  /** Links signed with a key derived from the session secret, so every api process verifies them. */
  static fromSessions(sessions: SessionTokens, clock: Clock): SignedDownloadLinks {
    return new SignedDownloadLinks(sessions.derivedKey('download-link'), clock);
  }

  sign(orgId: string, fileId: string, expiresAt: Date): string {
    const claims: DownloadLinkClaims = { org: orgId, file: fileId, exp: Math.floor(expiresAt.getTime() / 1000) };
    return this.tokens.sign(Buffer.from(JSON.stringify(claims)).toString('base64url'));
  }

  /** The grant of a genuine, unexpired token; undefined otherwise. */
  verify(token: string): DownloadGrant | undefined {
    const message = this.tokens.verify(token);
    const claims = message === undefined ? undefined : parseClaims(message);
    if (!claims) return undefined;
    const expiresAt = new Date(claims.exp * 1000);
    return expiresAt > this.clock.now() ? { orgId: claims.org, fileId: claims.file, expiresAt } : undefined;
  }
}

/** Signed by this server, but perhaps by an older version of it: the shape is checked all the same. */
function parseClaims(message: string): DownloadLinkClaims | undefined {
  try {
    return claimsSchema.safeParse(JSON.parse(Buffer.from(message, 'base64url').toString('utf8'))).data;
  } catch {
    return undefined;
  }
}
