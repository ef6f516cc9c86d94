import { z } from 'zod/v4';
import { defineResource } from '../resource-definition.js';
import { genericResourceStore } from '../stores/generic-resource-store.js';
import { orgAdministrationAccess } from './access-presets.js';
import { recordIdentityFields, recordIdentityShape, recordKey, recordTimeFields, recordTimeShape } from './common-fields.js';

const flagFields = z.object({
  key: recordKey,
  enabled: z.boolean(),
  description: z.string().max(500).optional(),
  rollout_pct: z.number().int().min(0).max(100),
});

/** A feature switched on or off for the org, for a share of its users. */
export const featureFlagResource = defineResource({
  name: 'feature-flag',
  path: '/api/feature-flags',
  label: 'Feature flag',
  description: 'A feature switched on or off for the org, for a share of its users.',
  record: z.object({ ...recordIdentityShape, ...flagFields.shape, ...recordTimeShape }),
  create: { kind: 'json', schema: flagFields.extend({ rollout_pct: flagFields.shape.rollout_pct.default(100) }).strict() },
  update: flagFields.partial().strict(),
  fields: {
    ...recordIdentityFields,
    key: { label: 'Key', description: 'What the flag is looked up by; unique in the org.', visibleTo: 'viewer', editableBy: 'admin' },
    enabled: { label: 'Enabled', description: 'Whether the feature is on.', visibleTo: 'viewer', editableBy: 'admin' },
    description: { label: 'Description', description: 'What the feature is, for people.', visibleTo: 'viewer', editableBy: 'admin' },
    rollout_pct: { label: 'Rollout %', description: 'The share of users, 0–100, who get the feature while it is enabled.', visibleTo: 'viewer', editableBy: 'admin' },
    ...recordTimeFields,
  },
  listColumns: ['key', 'enabled', 'rollout_pct', 'updated_at'],
  access: orgAdministrationAccess,
  actions: [],
  store: (deps) => genericResourceStore(deps, { resource: 'feature-flag', uniqueField: 'key' }),
});
