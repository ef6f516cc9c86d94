import { AbortUpload, AppError } from '@conveyor/contracts';
import type { ApiDependencies } from '../dependencies.js';
import type { StoreCall } from '../resources/resource-definition.js';
import { storeCommand } from '../resources/stores/store-commands.js';
import { findCallersPendingUpload, waitUntilSettled } from './announced-upload.js';
import type { UploadsInFlight } from './uploads-in-flight.js';

/**
 * `POST /api/uploads/{file_id}/abort`: gives up a pending upload (AbortUpload). Bytes still
 * coming in for it here are stopped and dropped by the store; bytes that finished meanwhile
 * (here or in another process) are deleted by their PUT once its registration is refused.
 * The file is not found afterwards.
 *
 * @throws AppError `not_found` (unknown, already aborted, another org's); `conflict` when the
 *   upload is already complete, or completed before the abort landed.
 */
export async function abortUpload(deps: ApiDependencies, call: StoreCall, fileId: string, inFlight: UploadsInFlight): Promise<void> {
  await findCallersPendingUpload(deps, call.identity, fileId);
  const command = storeCommand(AbortUpload, { aggregate: 'file', aggregateId: fileId }, call, { actor: call.identity.userId }, deps);
  await deps.commands.send(command);
  inFlight.abort(fileId);
  const settled = await waitUntilSettled(deps, call.identity.orgId, fileId);
  if (settled?.status === 'complete') throw new AppError('conflict', `upload ${fileId} completed before it could be aborted`);
}
