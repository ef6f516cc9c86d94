import { AppError } from '@conveyor/contracts';
import type { UploadProgress } from '@conveyor/core';
import type { ApiDependencies } from '../dependencies.js';
import type { Identity } from '../identity/identity.js';

/** How long an answer waits for the projection to show what its command did (read-your-writes). */
export const uploadProjectionWaitMs = 5000;

/**
 * The caller's upload that `fileId` names and that is still waiting for its bytes.
 *
 * @throws AppError `not_found` (404) for an unknown, aborted or another org's file;
 *   `conflict` (409) for a file whose bytes are already in (a completed upload, or any other file).
 */
export async function findCallersPendingUpload(deps: ApiDependencies, identity: Identity, fileId: string): Promise<UploadProgress> {
  const upload = await deps.readModels.upload(identity.orgId, fileId);
  if (!upload) throw new AppError('not_found', `upload ${fileId} not found`);
  if (upload.status !== 'pending') throw new AppError('conflict', `file ${fileId} is not a pending upload: its bytes are already in`);
  return upload;
}

/** Waits until the projection shows the upload no longer pending (completed, aborted or expired); answers it as last read. */
export function waitUntilSettled(deps: ApiDependencies, orgId: string, fileId: string): Promise<UploadProgress | undefined> {
  return deps.readModels.waitUntil(fileId, () => deps.readModels.upload(orgId, fileId), (upload) => upload?.status !== 'pending', uploadProjectionWaitMs);
}
