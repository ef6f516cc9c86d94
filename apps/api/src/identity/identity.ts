/** What a caller may be within its org. */
export const roles = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** What an API key may do; other identities may do what their role allows. */
export const scopes = ['convert:write', 'files:read', 'files:write', 'admin'] as const;
export type Scope = (typeof scopes)[number];

export const plans = ['free', 'pro', 'enterprise'] as const;
export type PlanName = (typeof plans)[number];

/** Who is calling, as the authentication hook resolved it. */
export interface Identity {
  orgId: string;
  userId: string;
  role: Role;
  /** How the caller proved it: an anonymous session token, an API key, or the gateway's headers. */
  kind: 'anonymous' | 'api_key' | 'gateway';
  /** An API key's scopes; every scope for the other kinds (their role decides). */
  scopes: readonly Scope[];
  /** The key's id, for an API key. */
  apiKeyId?: string;
  /** The plan the gateway named for the org (it owns accounts and billing), if it did. */
  planHint?: PlanName;
}
