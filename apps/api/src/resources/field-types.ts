import type { JsonSchema } from './json-schema.js';

/** What kind of input a form renders for a field. */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'datetime' | 'email' | 'file' | 'json';

export interface FieldKind {
  type: FieldType;
  nullable: boolean;
  /** The values an `enum` field takes. */
  enum?: unknown[];
}

const formatTypes: Readonly<Record<string, FieldType>> = { 'date-time': 'datetime', email: 'email', binary: 'file' };
const plainTypes: ReadonlySet<unknown> = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * The kind of a field, read from its JSON Schema: a nullable type is that type, a choice of
 * values is an `enum`, anything a simple input cannot hold is `json`.
 *
 * @example fieldKind({ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] }) // { type: 'datetime', nullable: true }
 */
export function fieldKind(schema: JsonSchema): FieldKind {
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as JsonSchema[];
    const nonNull = branches.filter((branch) => branch.type !== 'null');
    const nullable = nonNull.length < branches.length;
    if (nonNull.length !== 1) return { type: 'json', nullable };
    const kind = fieldKind(nonNull[0]!);
    return { ...kind, nullable: nullable || kind.nullable };
  }
  if (Array.isArray(schema.enum)) return { type: 'enum', nullable: false, enum: schema.enum };
  if (schema.const !== undefined) return { type: 'enum', nullable: false, enum: [schema.const] };
  const byFormat = typeof schema.format === 'string' ? formatTypes[schema.format] : undefined;
  if (byFormat) return { type: byFormat, nullable: false };
  if (plainTypes.has(schema.type)) return { type: schema.type as FieldType, nullable: false };
  return { type: 'json', nullable: false };
}
