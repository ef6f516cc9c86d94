import type { z } from 'zod/v4';
import type { Identity } from '../identity/identity.js';
import { canEdit, hasRoleAtLeast } from './field-access.js';
import { fieldKind } from './field-types.js';
import { jsonSchemaOf, propertiesOf, requiredOf, type JsonSchema } from './json-schema.js';
import type { Access, Operation, ResourceDefinition } from './resource-definition.js';

/** What `/api/_meta` describes a caller by: what its role and scopes allow. */
export type MetaViewer = Pick<Identity, 'role' | 'scopes'>;

export interface RouteMeta {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
}

const methods: Readonly<Record<Operation, RouteMeta['method']>> = { list: 'GET', create: 'POST', fetch: 'GET', update: 'PATCH', delete: 'DELETE' };

function recordPath(definition: ResourceDefinition): string {
  return `${definition.path}/{org_id}/{id}`;
}

function operationRoutes(definition: ResourceDefinition): Array<RouteMeta & { name: Operation }> {
  const onCollection = (name: Operation) => name === 'list' || name === 'create';
  return (Object.keys(methods) as Operation[]).map((name) => ({ name, method: methods[name], path: onCollection(name) ? definition.path : recordPath(definition) }));
}

function actionRoutes(definition: ResourceDefinition): RouteMeta[] {
  return definition.actions.map((action) => ({ name: action.name, method: 'POST', path: `${recordPath(definition)}/${action.suffix}` }));
}

/** `GET /api/_meta`: every resource, its base path, its operations and its actions. */
export function describeResourceIndex(definitions: readonly ResourceDefinition[]) {
  return {
    resources: definitions.map((definition) => ({
      name: definition.name,
      label: definition.label,
      path: definition.path,
      operations: operationRoutes(definition),
      actions: actionRoutes(definition),
    })),
  };
}

function mayDo(viewer: MetaViewer, access: Access): boolean {
  return hasRoleAtLeast(viewer.role, access.role) && (access.scope === undefined || viewer.scopes.includes(access.scope));
}

/** The JSON Schema of `schema` with only `names` among its fields. */
function schemaOfFields(schema: z.ZodObject, names: string[], io: 'input' | 'output'): JsonSchema {
  const mask = Object.fromEntries(names.map((name) => [name, true as const]));
  return jsonSchemaOf(schema.pick(mask), io);
}

/** Limits a form enforces as the client types, under the names the rest of the API uses. */
function constraintsOf(schema: JsonSchema): Record<string, unknown> {
  const named: Array<[string, unknown]> = [
    ['default', schema.default],
    ['minimum', schema.minimum],
    ['maximum', schema.maximum],
    ['min_length', schema.minLength],
    ['max_length', schema.maxLength],
  ];
  return Object.fromEntries(named.filter(([, value]) => value !== undefined));
}

/**
 * `GET /api/_meta/{resource}`: the form and table of a resource as this caller may use them.
 * Fields the caller's role may not see are absent; `creatable` and `editable` say what it may
 * set on create and change on update; operations and actions say whether it may use them.
 */
export function describeResource(definition: ResourceDefinition, viewer: MetaViewer) {
  const { role } = viewer;
  const mayCreate = mayDo(viewer, definition.access.create);
  const mayUpdate = mayDo(viewer, definition.access.update);
  const recordFields = Object.keys(definition.record.shape);
  const createFields = Object.keys(definition.create.schema.shape);
  const updateFields = Object.keys(definition.update.shape);
  const createSchema = jsonSchemaOf(definition.create.schema, 'input');
  const writeProperties = { ...propertiesOf(jsonSchemaOf(definition.update, 'input')), ...propertiesOf(createSchema) };
  const recordProperties = propertiesOf(jsonSchemaOf(definition.record, 'output'));

  const shownFields = Object.entries(definition.fields).filter(([, field]) => hasRoleAtLeast(role, field.visibleTo));
  const fields = shownFields.map(([name, field]) => {
    const written = writeProperties[name] ?? {};
    // What a field holds is what reads show; what a write may put in it can be narrower (status: only cancelled).
    const kind = fieldKind(recordProperties[name] ?? written);
    return {
      name,
      label: field.label,
      description: field.description,
      type: kind.type,
      ...(kind.enum ? { enum: kind.enum } : {}),
      nullable: kind.nullable,
      required: requiredOf(createSchema).includes(name),
      creatable: mayCreate && createFields.includes(name) && canEdit(field, role),
      editable: mayUpdate && updateFields.includes(name) && canEdit(field, role),
      read_only: field.editableBy === null,
      write_only: field.writeOnly === true,
      ...constraintsOf(written),
    };
  });
  const shown = (names: string[]) => fields.filter((field) => names.includes(field.name));
  const creatable = shown(createFields).filter((field) => field.creatable).map((field) => field.name);
  const editable = shown(updateFields).filter((field) => field.editable).map((field) => field.name);
  const readable = shown(recordFields).filter((field) => !field.write_only).map((field) => field.name);

  return {
    name: definition.name,
    label: definition.label,
    description: definition.description,
    path: definition.path,
    fields,
    list_columns: definition.listColumns.filter((column) => readable.includes(column)),
    operations: operationRoutes(definition).map((route) => ({ ...route, allowed: mayDo(viewer, definition.access[route.name]) })),
    actions: definition.actions.map((action, index) => ({ ...actionRoutes(definition)[index]!, summary: action.summary, allowed: mayDo(viewer, action.access) })),
    json_schema: {
      record: schemaOfFields(definition.record, readable, 'output'),
      create: mayCreate ? schemaOfFields(definition.create.schema, creatable, 'input') : null,
      update: mayUpdate ? schemaOfFields(definition.update, editable, 'input') : null,
    },
  };
}
