import { AppError } from '@conveyor/contracts';
import { z } from 'zod/v4';
import { roles } from '../../identity/identity.js';
import { defineResource, type WriteAttempt } from '../resource-definition.js';
import { genericResourceStore } from '../stores/generic-resource-store.js';
import { orgAdministrationAccess } from './access-presets.js';
import { recordIdentityFields, recordIdentityShape, recordTimeFields, recordTimeShape } from './common-fields.js';

const userFields = z.object({
  email: z.email().max(254).toLowerCase(),
  name: z.string().trim().min(1).max(200),
  role: z.enum(roles),
});

/**
 * Only an owner makes an owner, and only an owner changes or removes one: otherwise an admin
 * could take the org over, or lock its owner out.
 */
function checkOwnership({ identity, changes, existing }: WriteAttempt): void {
  if (identity.role === 'owner') return;
  if (changes.role === 'owner') throw new AppError('forbidden', 'role: only an owner may grant the owner role');
  if (existing?.role === 'owner') throw new AppError('forbidden', 'only an owner may change or remove an owner');
}

/** A person of the org and the role they have in it. */
export const userResource = defineResource({
  name: 'user',
  path: '/api/users',
  label: 'User',
  description: 'A person of the org and the role they have in it (owner > admin > member > viewer).',
  record: z.object({ ...recordIdentityShape, ...userFields.shape, ...recordTimeShape }),
  create: { kind: 'json', schema: userFields.strict() },
  update: userFields.partial().strict(),
  fields: {
    ...recordIdentityFields,
    email: { label: 'Email', description: 'Where the person is reached; unique in the org.', visibleTo: 'member', editableBy: 'admin' },
    name: { label: 'Name', description: 'How the person is shown.', visibleTo: 'viewer', editableBy: 'admin' },
    role: { label: 'Role', description: 'What the person may do: owner > admin > member > viewer. Only an owner grants owner.', visibleTo: 'viewer', editableBy: 'admin' },
    ...recordTimeFields,
  },
  listColumns: ['name', 'email', 'role', 'created_at'],
  access: orgAdministrationAccess,
  actions: [],
  store: (deps) => genericResourceStore(deps, { resource: 'user', uniqueField: 'email' }),
  checkWrite: checkOwnership,
});
