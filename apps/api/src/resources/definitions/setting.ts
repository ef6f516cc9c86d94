import { z } from 'zod/v4';
import { defineResource } from '../resource-definition.js';
import { genericResourceStore } from '../stores/generic-resource-store.js';
import { orgAdministrationAccess } from './access-presets.js';
import { jsonValue, recordIdentityFields, recordIdentityShape, recordKey, recordTimeFields, recordTimeShape } from './common-fields.js';

const settingFields = z.object({
  key: recordKey,
  value: jsonValue,
  description: z.string().max(500).optional(),
});

/** An org-wide setting: a JSON value under a key unique in the org. */
export const settingResource = defineResource({
  name: 'setting',
  path: '/api/settings',
  label: 'Setting',
  description: 'An org-wide setting: a JSON value under a key unique in the org.',
  record: z.object({ ...recordIdentityShape, ...settingFields.shape, ...recordTimeShape }),
  create: { kind: 'json', schema: settingFields.strict() },
  update: settingFields.partial().strict(),
  fields: {
    ...recordIdentityFields,
    key: { label: 'Key', description: 'What the setting is looked up by; unique in the org.', visibleTo: 'viewer', editableBy: 'admin' },
    value: { label: 'Value', description: 'Any JSON value.', visibleTo: 'viewer', editableBy: 'admin' },
    description: { label: 'Description', description: 'What the setting does, for people.', visibleTo: 'viewer', editableBy: 'admin' },
    ...recordTimeFields,
  },
  listColumns: ['key', 'value', 'updated_at'],
  access: orgAdministrationAccess,
  actions: [],
  store: (deps) => genericResourceStore(deps, { resource: 'setting', uniqueField: 'key' }),
});
