import { AppError, conversionJobSchema, fileSchema } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { roles } from '../../src/identity/identity.js';
import { hasRoleAtLeast, parseWriteBody, visibleRecord } from '../../src/resources/field-access.js';
import { findResourceDefinition, resourceDefinitions } from '../../src/resources/resource-catalog.js';
import { defineResource, type ResourceDefinition } from '../../src/resources/resource-definition.js';
import { describeResource } from '../../src/resources/resource-meta.js';

/** A resource whose fields need different roles, to see each rule on its own. */
const noteResource: ResourceDefinition = defineResource({
  name: 'note',
  path: '/api/notes',
  label: 'Note',
  description: 'A test resource.',
  record: z.object({ id: z.string(), org_id: z.string(), title: z.string(), secret: z.string(), pinned: z.boolean() }),
  create: { kind: 'json', schema: z.object({ title: z.string().min(1), secret: z.string(), pinned: z.boolean().optional() }).strict() },
  update: z.object({ title: z.string().min(1), secret: z.string(), pinned: z.boolean() }).partial().strict(),
  fields: {
    id: { label: 'ID', description: '', visibleTo: 'viewer', editableBy: null },
    org_id: { label: 'Org', description: '', visibleTo: 'viewer', editableBy: null },
    title: { label: 'Title', description: '', visibleTo: 'viewer', editableBy: 'member' },
    secret: { label: 'Secret', description: '', visibleTo: 'admin', editableBy: 'admin' },
    pinned: { label: 'Pinned', description: '', visibleTo: 'viewer', editableBy: 'owner' },
  },
  listColumns: ['title', 'secret'],
  access: {
    list: { scope: undefined, role: 'viewer' },
    fetch: { scope: undefined, role: 'viewer' },
    create: { scope: 'files:write', role: 'member' },
    update: { scope: 'files:write', role: 'member' },
    delete: { scope: 'files:write', role: 'member' },
  },
  actions: [],
  store: () => {
    throw new Error('not used');
  },
});

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('roles rank owner > admin > member > viewer', () => {
  it('ranks each role at least as itself and every lesser one', () => {
    expect(roles.filter((role) => hasRoleAtLeast('admin', role))).toEqual(['admin', 'member', 'viewer']);
    expect(roles.filter((role) => hasRoleAtLeast('viewer', role))).toEqual(['viewer']);
    expect(roles.every((role) => hasRoleAtLeast('owner', role))).toBe(true);
  });
});

describe('what a role reads of a record', () => {
  const record = { id: 'n1', org_id: 'o1', title: 'Plan', secret: 'hush', pinned: true, internal: 'never shown' };

  it('leaves out the fields above the role, and any field the definition does not declare', () => {
    expect(visibleRecord(noteResource, 'member', record)).toEqual({ id: 'n1', org_id: 'o1', title: 'Plan', pinned: true });
    expect(visibleRecord(noteResource, 'admin', record)).toEqual({ id: 'n1', org_id: 'o1', title: 'Plan', secret: 'hush', pinned: true });
  });
});

describe('a write body is checked field by field before its values', () => {
  it('answers 400 naming a field the operation does not take, even with a role that could set nothing', () => {
    const error = refusal(() => parseWriteBody(noteResource, 'update', 'viewer', { colour: 'red' }));
    expect(error.code).toBe('invalid_parameter');
    expect(error.message).toContain('colour');
  });

  it('answers 400 for a read-only field of the record', () => {
    expect(refusal(() => parseWriteBody(noteResource, 'update', 'owner', { id: 'other' })).code).toBe('invalid_parameter');
  });

  it('answers 403 for a known field the role may not set, before looking at its value', () => {
    const error = refusal(() => parseWriteBody(noteResource, 'update', 'member', { title: 'ok', secret: 42 }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('secret');
    expect(refusal(() => parseWriteBody(noteResource, 'update', 'admin', { pinned: true })).code).toBe('forbidden');
  });

  it('answers 400 for an invalid value of a field the role may set', () => {
    const error = refusal(() => parseWriteBody(noteResource, 'create', 'admin', { title: '', secret: 'x' }));
    expect(error.code).toBe('invalid_parameter');
    expect(error.message).toMatch(/^title: /);
  });

  it('answers the parsed body when every field is the role’s to set', () => {
    expect(parseWriteBody(noteResource, 'update', 'owner', { pinned: false, title: 'New' })).toEqual({ pinned: false, title: 'New' });
  });

  it('refuses a body that is not a JSON object', () => {
    for (const body of [null, [], 'text', 3]) expect(refusal(() => parseWriteBody(noteResource, 'create', 'owner', body)).code).toBe('invalid_parameter');
  });
});

describe('/api/_meta of one resource, by role', () => {
  const viewerOf = (role: (typeof roles)[number], scopes: Array<'convert:write' | 'files:read' | 'files:write' | 'admin'> = ['convert:write', 'files:read', 'files:write', 'admin']) => ({ role, scopes });
  const names = (fields: Array<{ name: string; editable: boolean }>, which: 'editable' | 'all') => fields.filter((field) => which === 'all' || field.editable).map((field) => field.name);

  it('makes editable only what the role may change', () => {
    expect(names(describeResource(noteResource, viewerOf('owner')).fields, 'editable')).toEqual(['title', 'secret', 'pinned']);
    expect(names(describeResource(noteResource, viewerOf('admin')).fields, 'editable')).toEqual(['title', 'secret']);
    expect(names(describeResource(noteResource, viewerOf('member')).fields, 'editable')).toEqual(['title']);
    expect(names(describeResource(noteResource, viewerOf('viewer')).fields, 'editable')).toEqual([]);
  });

  it('leaves out what the role may not see, from the fields, the columns and the schemas', () => {
    const forMember = describeResource(noteResource, viewerOf('member'));
    expect(names(forMember.fields, 'all')).toEqual(['id', 'org_id', 'title', 'pinned']);
    expect(forMember.list_columns).toEqual(['title']);
    expect(Object.keys((forMember.json_schema.record as { properties: object }).properties)).toEqual(['id', 'org_id', 'title', 'pinned']);
    expect(Object.keys((forMember.json_schema.update as { properties: object }).properties)).toEqual(['title']);
  });

  it('makes nothing editable for a role whose scopes do not cover the writes', () => {
    const readOnlyKey = describeResource(noteResource, viewerOf('owner', ['files:read']));
    expect(names(readOnlyKey.fields, 'editable')).toEqual([]);
    expect(readOnlyKey.json_schema.create).toBeNull();
    expect(readOnlyKey.operations.filter((operation) => operation.allowed).map((operation) => operation.name)).toEqual(['list', 'fetch']);
  });

  it('gives a viewer fewer editable file fields than an admin', () => {
    const file = findResourceDefinition('file')!;
    const editable = (role: (typeof roles)[number]) => describeResource(file, viewerOf(role)).fields.filter((field) => field.editable || field.creatable).length;
    expect(editable('viewer')).toBe(0);
    expect(editable('admin')).toBeGreaterThan(editable('viewer'));
  });
});

describe('the resource catalog', () => {
  it('declares every field of every record and body, and lists only record fields as columns', () => {
    for (const definition of resourceDefinitions) {
      const declared = Object.keys(definition.fields);
      const used = [...Object.keys(definition.record.shape), ...Object.keys(definition.create.schema.shape), ...Object.keys(definition.update.shape)];
      expect(used.filter((name) => !declared.includes(name)), definition.name).toEqual([]);
      expect(definition.listColumns.filter((column) => !(column in definition.record.shape)), definition.name).toEqual([]);
    }
  });

  it('keeps the file and conversion-job records the shapes contracts documents', () => {
    expect(Object.keys(findResourceDefinition('file')!.record.shape).sort()).toEqual(Object.keys(fileSchema.shape).sort());
    expect(Object.keys(findResourceDefinition('conversion-job')!.record.shape).sort()).toEqual([...Object.keys(conversionJobSchema.shape), 'steps'].sort());
  });

  it('finds a resource by its name or its path segment, and nothing else', () => {
    expect(findResourceDefinition('feature-flags')).toBe(findResourceDefinition('feature-flag'));
    expect(findResourceDefinition('feature')).toBeUndefined();
    expect(findResourceDefinition('api')).toBeUndefined();
  });
});
