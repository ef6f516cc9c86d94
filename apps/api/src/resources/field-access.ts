import { AppError } from '@conveyor/contracts';
import { roles, type Identity, type Role } from '../identity/identity.js';
import type { Access, FieldDefinition, ResourceDefinition, ResourceRecord } from './resource-definition.js';

/**
 * True when `role` is `least` or more powerful (owner > admin > member > viewer).
 *
 * @example hasRoleAtLeast('admin', 'member') // true
 */
export function hasRoleAtLeast(role: Role, least: Role): boolean {
  return roles.indexOf(role) <= roles.indexOf(least);
}

export function canSee(field: FieldDefinition, role: Role): boolean {
  return !field.writeOnly && hasRoleAtLeast(role, field.visibleTo);
}

export function canEdit(field: FieldDefinition, role: Role): boolean {
  return field.editableBy !== null && hasRoleAtLeast(role, field.editableBy);
}

/** Refuses with 403 a caller whose role is below what the operation needs. */
export function requireRole(identity: Identity, access: Access, doing: string): void {
  if (!hasRoleAtLeast(identity.role, access.role)) throw new AppError('forbidden', `a ${identity.role} may not ${doing}: it takes at least a ${access.role}`);
}

/** The record as `role` may read it: fields it may not see, and any the definition does not declare, are left out. */
export function visibleRecord(definition: ResourceDefinition, role: Role, record: ResourceRecord): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([name]) => {
      const field = definition.fields[name];
      return field !== undefined && canSee(field, role);
    }),
  );
}

function isJsonObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/**
 * A create or update body checked in the order a client can act on: a field the body may not
 * carry at all is 400 `invalid_parameter` naming it, a field the caller's role may not set is
 * 403 `forbidden`, and only then are the values validated (400). Answers the parsed body.
 */
export function parseWriteBody(definition: ResourceDefinition, operation: 'create' | 'update', role: Role, body: unknown): Record<string, unknown> {
  if (!isJsonObject(body)) throw new AppError('invalid_parameter', 'the body must be a JSON object');
  const schema = operation === 'create' ? definition.create.schema : definition.update;
  const accepted = Object.keys(schema.shape);
  for (const name of Object.keys(body)) {
    const field = definition.fields[name];
    if (!accepted.includes(name) || field === undefined) {
      throw new AppError('invalid_parameter', `${name}: not a field a ${definition.name} ${operation} accepts (it accepts ${accepted.join(', ')})`);
    }
    if (!canEdit(field, role)) throw new AppError('forbidden', `${name}: a ${role} may not set this field of a ${definition.name}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid_parameter', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid value'}`);
  }
  return parsed.data as Record<string, unknown>;
}
