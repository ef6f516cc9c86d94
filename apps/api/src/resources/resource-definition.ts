import type { Page } from '@conveyor/core';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod/v4';
import type { ApiDependencies } from '../dependencies.js';
import type { Identity, Role, Scope } from '../identity/identity.js';

/** The five operations every resource offers. */
export const operations = ['list', 'create', 'fetch', 'update', 'delete'] as const;
export type Operation = (typeof operations)[number];

/** A record as a store holds it: every resource's has an id and belongs to one org. */
export type ResourceRecord = { id: string; org_id: string } & Record<string, unknown>;

/** Who may do something: the scope its route declares (checked by `authorize`) and the least role. */
export interface Access {
  /** Undefined when any authenticated caller of the org may (the `authorize` hook then lets everyone through). */
  scope: Scope | undefined;
  /** The least powerful role that may; roles rank owner > admin > member > viewer. */
  role: Role;
}

/** What a field is to the caller and the form that edits it. */
export interface FieldDefinition {
  label: string;
  description: string;
  /** The least powerful role that sees the field; it is left out of what a lesser role reads. */
  visibleTo: Role;
  /** The least powerful role that may set it, or null when no one may (ids, times, sizes). */
  editableBy: Role | null;
  /** Set by writes but never part of the record read back (a file's visibility, its upload). */
  writeOnly?: true;
}

/** One call of a store: who is calling, and the request (for an upload's raw body and the log). */
export interface StoreCall {
  identity: Identity;
  request: FastifyRequest;
}

/** Where a resource's records live; the factory checks access and validates before calling it. */
export interface ResourceStore {
  list(call: StoreCall, page: { limit: number; cursor?: string | undefined }): Promise<Page<ResourceRecord>>;
  /** The caller's org's record, or undefined. */
  find(call: StoreCall, id: string): Promise<ResourceRecord | undefined>;
  /**
   * For records that settle (a job finishes): the record once it has, or as it stands when
   * `timeoutMs` passes or `signal` aborts; undefined once it is gone. Where a store offers it,
   * a fetch takes `?wait=<seconds>` (a long poll). `checkFirst` sees the record as first read,
   * before any waiting; what it throws ends the call.
   */
  findSettled?(
    call: StoreCall,
    id: string,
    wait: { timeoutMs: number; signal: AbortSignal; checkFirst: (record: ResourceRecord | undefined) => void },
  ): Promise<ResourceRecord | undefined>;
  /** Creates a record from a validated body (empty for a multipart create: the store reads the request) and answers it as read back. */
  create(call: StoreCall, body: Record<string, unknown>): Promise<ResourceRecord>;
  /** Applies validated changes to an existing record and answers it as read back. */
  update(call: StoreCall, record: ResourceRecord, changes: Record<string, unknown>): Promise<ResourceRecord>;
  /** Deletes an existing record; resolves once reads no longer show it. */
  remove(call: StoreCall, record: ResourceRecord): Promise<void>;
}

/** A resource-specific step on one record: `POST <path>/{org_id}/{id}/<suffix>`. */
export interface ResourceAction {
  name: string;
  summary: string;
  /** The path segment after the record's path, e.g. `cancel`. */
  suffix: string;
  access: Access;
  /** `deps` serve the actions that are more than a store's write (a retry sends its own command). */
  run(call: StoreCall, record: ResourceRecord, store: ResourceStore, deps: ApiDependencies): Promise<ResourceRecord>;
}

/** A write the field permissions allow, for rules about values (an admin may not grant owner). */
export interface WriteAttempt {
  operation: 'create' | 'update' | 'delete';
  identity: Identity;
  changes: Record<string, unknown>;
  /** The record as it was, for updates and deletes. */
  existing: ResourceRecord | undefined;
}

/** How a create carries its fields: a JSON object, or a multipart form with an upload. */
export type CreateBody = { kind: 'json'; schema: z.ZodObject } | { kind: 'multipart'; schema: z.ZodObject };

/**
 * A resource declared once: from this the factory makes its five routes and actions, their
 * OpenAPI schemas and checks, and `/api/_meta` describes it to the UI.
 */
export interface ResourceDefinition {
  /** Singular, as `/api/_meta/{resource}` names it: `feature-flag`. */
  name: string;
  /** The base path of its routes: `/api/feature-flags`. */
  path: `/api/${string}`;
  label: string;
  description: string;
  /** What a fetch answers; lists answer the same, less what the caller's role may not see. */
  record: z.ZodObject;
  /** Every field of the record and of its create and update bodies. */
  fields: Readonly<Record<string, FieldDefinition>>;
  /** The record's fields a table of them shows, in order. */
  listColumns: readonly string[];
  create: CreateBody;
  /** The body of a PATCH: every field optional; unknown fields are refused. */
  update: z.ZodObject;
  access: Readonly<Record<Operation, Access>>;
  actions: readonly ResourceAction[];
  store(deps: ApiDependencies): ResourceStore;
  /** Rules on values beyond field permissions; throws `forbidden` to refuse. */
  checkWrite?(attempt: WriteAttempt): void;
}

type FieldNames<Definition extends { record: z.ZodObject; create: CreateBody; update: z.ZodObject }> =
  | keyof Definition['record']['shape']
  | keyof Definition['create']['schema']['shape']
  | keyof Definition['update']['shape'];

/**
 * Declares a resource, checking at compile time that every field of its record and bodies has
 * a definition and that its list columns are fields of its record.
 */
export function defineResource<RecordSchema extends z.ZodObject, Create extends CreateBody, Update extends z.ZodObject>(
  definition: Omit<ResourceDefinition, 'record' | 'create' | 'update' | 'fields' | 'listColumns'> & {
    record: RecordSchema;
    create: Create;
    update: Update;
    fields: { readonly [Name in FieldNames<{ record: RecordSchema; create: Create; update: Update }> & string]: FieldDefinition };
    listColumns: ReadonlyArray<keyof RecordSchema['shape'] & string>;
  },
): ResourceDefinition {
  return definition;
}
