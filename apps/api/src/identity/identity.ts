import type { PlanName } from '@conveyor/core';

/** What a caller may be within its org, most powerful first. */
export const roles = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** What an API key may do; other identities may do what their role allows. */
export const scopes = ['convert:write', 'files:read', 'files:write', 'admin'] as const;
export type Scope = (typeof scopes)[number];

/** Who is calling, as the authentication hook resolved it. */
export interface Identity {
  orgId: string;
  userId: string;
  role: Role;
  /**
   * How the caller proved it: an anonymous session token, an API key, the gateway's headers, or a
   * signed download link (`?dl=`), which only the routes that accept one take (see `acceptsDownloadLink`).
   */
  kind: 'anonymous' | 'api_key' | 'gateway' | 'download_link';
  /** What the caller may do: an API key's scopes within its role's, otherwise its role's. */
  scopes: readonly Scope[];
  /** The key's id, for an API key. */
  apiKeyId?: string;
  /** The plan the gateway named for the org (it owns accounts and billing), if it did. */
  planHint?: PlanName;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set by the authentication hook on every authenticated route. */
    identity: Identity;
  }
  interface FastifyContextConfig {
    /** The scope a route requires; checked after authentication. */
    scope?: Scope;
    /** True on the one route a signed `?dl=` link may stand in for credentials on: a file's download. */
    acceptsDownloadLink?: true;
  }
}
