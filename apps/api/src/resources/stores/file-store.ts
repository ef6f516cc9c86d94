import { AppError, DeleteFile, UpdateFile } from '@conveyor/contracts';
import type { ApiDependencies } from '../../dependencies.js';
import { sanitiseFileName } from '../../upload/file-name.js';
import type { ResourceStore } from '../resource-definition.js';
import { uploadFile } from './file-upload.js';
import { projectionWaitMs, storeCommand } from './store-commands.js';

/**
 * The org's files: reads from the `files` read model (their FileView, as `GET /api/files/…`
 * always answered), writes as UpdateFile and DeleteFile commands on the `file` aggregate, and
 * creation as a multipart upload.
 */
export function fileStore(deps: ApiDependencies): ResourceStore {
  return {
    async list(call, { limit, cursor }) {
      return deps.readModels.listFiles(call.identity.orgId, limit, cursor);
    },

    async find(call, id) {
      return (await deps.readModels.file(call.identity.orgId, id))?.view;
    },

    async create(call) {
      return uploadFile(deps, call);
    },

    async update(call, record, changes) {
      const name = typeof changes.name === 'string' ? sanitiseFileName(changes.name, '') : undefined;
      if (name === '') throw new AppError('invalid_parameter', 'name: no usable characters are left once directories and control characters are removed');
      const fileChanges = { ...changes, ...(name === undefined ? {} : { name }) };
      const command = storeCommand(UpdateFile, { aggregate: 'file', aggregateId: record.id }, call, { changes: fileChanges, actor: call.identity.userId }, deps);
      await deps.commands.send(command);
      // A visibility change shows nowhere in the file's view, so the audit log (projected in the
      // same transaction as the files) tells when the update has landed.
      const updateProjected = async () => {
        const page = await deps.readModels.audit(command.org_id, { limit: 20, types: ['FileUpdated'], since: command.issued_at });
        return page.items.some((entry) => entry.aggregate_id === record.id);
      };
      const landed = await deps.readModels.waitUntil(record.id, updateProjected, (projected) => projected, projectionWaitMs);
      const file = await deps.readModels.file(command.org_id, record.id);
      if (!file) throw new AppError('not_found', `file ${record.id} was deleted meanwhile`);
      // A live file cannot refuse an update: if the projection is slow, the file will read as this.
      return landed || name === undefined ? file.view : { ...file.view, name };
    },

    async remove(call, record) {
      const command = storeCommand(DeleteFile, { aggregate: 'file', aggregateId: record.id }, call, { actor: call.identity.userId }, deps);
      await deps.commands.send(command);
      await deps.readModels.waitUntil(record.id, () => deps.readModels.file(command.org_id, record.id), (file) => file === undefined, projectionWaitMs);
    },
  };
}
