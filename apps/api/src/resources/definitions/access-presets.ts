import type { Access, Operation } from '../resource-definition.js';

/**
 * Org administration (settings, feature flags, users): everyone in the org reads it, for the
 * UI renders itself from it; changing it takes an admin, and an API key needs the `admin` scope.
 */
export const orgAdministrationAccess: Readonly<Record<Operation, Access>> = {
  list: { scope: undefined, role: 'viewer' },
  fetch: { scope: undefined, role: 'viewer' },
  create: { scope: 'admin', role: 'admin' },
  update: { scope: 'admin', role: 'admin' },
  delete: { scope: 'admin', role: 'admin' },
};
