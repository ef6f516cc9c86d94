import { AppError, InitiateUpload } from '@conveyor/contracts';
import { uploadExpiry } from '../convert/file-expiry.js';
import type { ApiDependencies } from '../dependencies.js';
import { checkStorageQuota, maxUploadBytesFor } from '../limits/plan-checks.js';
import type { StoreCall } from '../resources/resource-definition.js';
import { storeCommand } from '../resources/stores/store-commands.js';
import { uploadProjectionWaitMs } from './announced-upload.js';
import { sanitiseFileName } from './file-name.js';
import { uploadDataPath } from './upload-url.js';

/** What a client announces before it streams an upload's bytes. */
export interface UploadAnnouncement {
  name: string;
  /** The size it means to send, if it knows: refused up front when the plan cannot take it. */
  size?: number;
  content_type?: string;
}

/** Where and how the client sends the bytes next. */
export interface UploadInstructions {
  file_id: string;
  method: 'PUT';
  upload_url: string;
}

/**
 * `POST /api/uploads/init`: opens a pending upload (InitiateUpload) once the plan has room for
 * it, and answers where to PUT its bytes. The file is pending, and nothing reads, converts or
 * counts it, until they arrive. An anonymous session's upload expires as its files do.
 *
 * @throws AppError `invalid_parameter` for a name with nothing usable left once sanitised;
 *   `file_too_large` (413) for a declared size over the plan's upload limit; `plan_required` once
 *   the storage quota is used up.
 */
export async function initiateUpload(deps: ApiDependencies, call: StoreCall, announcement: UploadAnnouncement): Promise<UploadInstructions> {
  const name = sanitiseFileName(announcement.name, '');
  if (name === '') throw new AppError('invalid_parameter', 'name: no usable characters are left once directories and control characters are removed');
  const maxBytes = await maxUploadBytesFor(deps, call.identity);
  if (announcement.size !== undefined && announcement.size > maxBytes) {
    throw new AppError('file_too_large', `a file of ${announcement.size} bytes exceeds the upload limit of ${maxBytes} bytes`);
  }
  await checkStorageQuota(deps, call.identity);

  const fileId = deps.ids.next();
  const expiresAt = uploadExpiry(call.identity, deps);
  const command = storeCommand(InitiateUpload, { aggregate: 'file', aggregateId: fileId }, call, {
    name,
    ...(announcement.size === undefined ? {} : { declared_size: announcement.size }),
    ...(announcement.content_type === undefined ? {} : { content_type: announcement.content_type }),
    ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
  }, deps);
  await deps.commands.send(command);
  // The client PUTs next, possibly at once: the pending upload must be readable by then.
  await deps.readModels.waitUntil(fileId, () => deps.readModels.upload(call.identity.orgId, fileId), (upload) => upload !== undefined, uploadProjectionWaitMs);
  return { file_id: fileId, method: 'PUT', upload_url: uploadDataPath(fileId) };
}
