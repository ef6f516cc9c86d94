import { AppError, CreateResource, DeleteResource, UpdateResource } from '@conveyor/contracts';
import type { ResourceView } from '@conveyor/core';
import type { ApiDependencies } from '../../dependencies.js';
import type { ResourceRecord, ResourceStore, StoreCall } from '../resource-definition.js';
import { projectionWaitMs, storeCommand } from './store-commands.js';

export interface GenericStoreOptions {
  /** The name its records are kept under in the `resources` read model (and in their events). */
  resource: string;
  /** A field no two records of an org may share (a setting's key); a clash is 409 `conflict`. */
  uniqueField?: string;
}

/** A record is its data, flat, between its id and org and its times. */
function toRecord(view: ResourceView): ResourceRecord {
  return { id: view.id, org_id: view.org_id, ...view.data, created_at: view.created_at, updated_at: view.updated_at };
}

/** How many records one look for a clash reads at a time. */
const clashScanPage = 100;

/**
 * The id of the org's record whose `field` is `value`, if any. It reads the org's records
 * page by page: these resources hold a handful of records per org, not thousands.
 */
async function holderOf(deps: ApiDependencies, orgId: string, resource: string, field: string, value: unknown): Promise<string | undefined> {
  let cursor: string | undefined;
  do {
    const page = await deps.readModels.listResources(orgId, resource, clashScanPage, cursor);
    const holder = page.items.find((view) => view.data[field] === value);
    if (holder) return holder.id;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return undefined;
}

/**
 * A store over the generic `resources` read model (settings, feature flags, users): writes are
 * the CreateResource, UpdateResource and DeleteResource commands on a `resource` aggregate
 * whose id is the record's, with the caller as actor; each answers once the projection shows it.
 *
 * The unique-field check reads before it writes, so two creates racing with the same value
 * can both pass it; it catches the mistakes people make, not a determined race.
 */
export function genericResourceStore(deps: ApiDependencies, options: GenericStoreOptions): ResourceStore {
  const { resource, uniqueField } = options;

  const refuseClash = async (call: StoreCall, fields: Record<string, unknown>, ownId: string | undefined): Promise<void> => {
    if (uniqueField === undefined || fields[uniqueField] === undefined) return;
    const holder = await holderOf(deps, call.identity.orgId, resource, uniqueField, fields[uniqueField]);
    if (holder !== undefined && holder !== ownId) {
      throw new AppError('conflict', `${uniqueField}: another ${resource} of this org already has ${JSON.stringify(fields[uniqueField])}`);
    }
  };

  return {
    async list(call, { limit, cursor }) {
      const page = await deps.readModels.listResources(call.identity.orgId, resource, limit, cursor);
      return { items: page.items.map(toRecord), next_cursor: page.next_cursor };
    },

    async find(call, id) {
      const view = await deps.readModels.resource(call.identity.orgId, resource, id);
      return view && toRecord(view);
    },

    async create(call, body) {
      await refuseClash(call, body, undefined);
      const id = deps.ids.next();
      const command = storeCommand(CreateResource, { aggregate: 'resource', aggregateId: id }, call, { resource, data: body, actor: call.identity.userId }, deps);
      await deps.commands.send(command);
      const view = await deps.readModels.waitForResource(command.org_id, resource, id, (shown) => shown !== undefined, projectionWaitMs);
      // A new aggregate cannot refuse its creation: if the projection is slow, the record will read as this.
      return view ? toRecord(view) : { id, org_id: command.org_id, ...body, created_at: command.issued_at, updated_at: command.issued_at };
    },

    async update(call, record, changes) {
      await refuseClash(call, changes, record.id);
      const command = storeCommand(UpdateResource, { aggregate: 'resource', aggregateId: record.id }, call, { resource, changes, actor: call.identity.userId }, deps);
      await deps.commands.send(command);
      const isUpdated = (shown: ResourceView | undefined) => shown === undefined || shown.updated_at !== record.updated_at;
      const view = await deps.readModels.waitForResource(command.org_id, resource, record.id, isUpdated, projectionWaitMs);
      if (view === undefined) throw new AppError('not_found', `${resource} ${record.id} was deleted meanwhile`);
      return isUpdated(view) ? toRecord(view) : { ...record, ...changes };
    },

    async remove(call, record) {
      const command = storeCommand(DeleteResource, { aggregate: 'resource', aggregateId: record.id }, call, { resource, actor: call.identity.userId }, deps);
      await deps.commands.send(command);
      await deps.readModels.waitForResource(command.org_id, resource, record.id, (shown) => shown === undefined, projectionWaitMs);
    },
  };
}
