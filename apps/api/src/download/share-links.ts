import type { SessionTokens, StoredFile } from '@conveyor/core';
import { SignedTokens } from './signed-tokens.js';

/**
 * The tokens of `/api/s/{token}` share links: a share's id, signed, so that ids cannot be guessed
 * into links. A token only names a share; whether it still works is the file's to say (see
 * `isLiveShare`), so that a new share, or a private one, revokes the links made before it.
 */
export class ShareLinks {
  constructor(private readonly tokens: SignedTokens) {}

  static fromSessions(sessions: SessionTokens): ShareLinks {
    return new ShareLinks(new SignedTokens(sessions.derivedKey('share-link')));
  }

  sign(shareTokenId: string): string {
    return this.tokens.sign(shareTokenId);
  }

  /** The share id of a genuine token; undefined otherwise. */
  verify(token: string): string | undefined {
    return this.tokens.verify(token);
  }
}

/**
 * True when a link made for `shareTokenId` still opens the file: it is the file's current share,
 * the file is public or restricted, and the share has not expired.
 */
export function isLiveShare(file: StoredFile, shareTokenId: string, now: Date): boolean {
  const { visibility, tokenId, expiresAt } = file.sharing;
  if (tokenId === null || tokenId !== shareTokenId) return false;
  if (visibility !== 'public' && visibility !== 'restricted') return false;
  return expiresAt === null || new Date(expiresAt) > now;
}
