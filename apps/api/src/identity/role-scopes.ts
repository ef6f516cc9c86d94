import { scopes, type Role, type Scope } from './identity.js';

const scopesByRole: Record<Role, readonly Scope[]> = {
  owner: scopes,
  admin: scopes,
  member: ['convert:write', 'files:read', 'files:write'],
  viewer: ['files:read'],
};

/** What a caller with `role` may do. */
export function scopesOfRole(role: Role): readonly Scope[] {
  return scopesByRole[role];
}

/**
 * The `requested` scopes that `role` allows, in the canonical order. An API key acts with
 * these, so that it never does more than the role of the one who created it.
 *
 * @example
 * scopesWithinRole(['admin', 'files:read'], 'viewer') // ['files:read']
 */
export function scopesWithinRole(requested: readonly Scope[], role: Role): Scope[] {
  const allowed = scopesOfRole(role);
  return scopes.filter((scope) => requested.includes(scope) && allowed.includes(scope));
}
