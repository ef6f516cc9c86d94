import { isoTimestamp } from '@conveyor/contracts';
import { z } from 'zod/v4';
import type { FieldDefinition } from '../resource-definition.js';

/** The fields every record has, none of which anyone edits. */
export const recordIdentityFields = {
  id: { label: 'ID', description: 'The record’s id.', visibleTo: 'viewer', editableBy: null },
  org_id: { label: 'Organisation', description: 'The org the record belongs to.', visibleTo: 'viewer', editableBy: null },
} as const satisfies Record<string, FieldDefinition>;

/** When a generic resource's record was created and last changed; no one edits these. */
export const recordTimeFields = {
  created_at: { label: 'Created', description: 'When the record was created.', visibleTo: 'viewer', editableBy: null },
  updated_at: { label: 'Updated', description: 'When the record last changed.', visibleTo: 'viewer', editableBy: null },
} as const satisfies Record<string, FieldDefinition>;

/** The zod shape of those fields. */
export const recordIdentityShape = { id: z.string(), org_id: z.string() };
export const recordTimeShape = { created_at: isoTimestamp(), updated_at: isoTimestamp() };

/** A JSON value, as a setting holds one. */
export const jsonValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** Keys of settings and flags: what code looks them up by. */
export const recordKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'lowercase letters, digits, _ . and -, starting with a letter or digit; at most 100');
