import { AppError, fileVisibility, RegisterUpload, type FileView } from '@conveyor/contracts';
import { uploadBlobKey } from '@conveyor/core';
import type { ApiDependencies } from '../../dependencies.js';
import { detectSourceFormat } from '../../convert/conversion-request.js';
import { uploadExpiry } from '../../convert/file-expiry.js';
import { checkStorageQuota, maxUploadBytesFor } from '../../limits/plan-checks.js';
import { sanitiseFileName } from '../../upload/file-name.js';
import { receiveMultipartUpload, type ReceivedForm } from '../../upload/multipart-upload.js';
import type { StoreCall } from '../resource-definition.js';
import { projectionWaitMs, storeCommand } from './store-commands.js';

/** The text fields an upload form may carry besides its `file`. */
const uploadFields = ['visibility'];

function parseVisibility(form: ReceivedForm) {
  for (const name of form.fields.keys()) {
    if (!uploadFields.includes(name)) throw new AppError('invalid_parameter', `${name}: not a field a file upload accepts (it accepts file, ${uploadFields.join(', ')})`);
  }
  const given = form.fields.get('visibility')?.trim() || undefined;
  const parsed = fileVisibility.default('private').safeParse(given);
  if (!parsed.success) throw new AppError('invalid_parameter', `visibility: one of ${fileVisibility.options.join(', ')}`);
  return parsed.data;
}

/** The RegisterUpload command of a received form, or the AppError that refuses the form. */
function registrationOf(deps: ApiDependencies, call: StoreCall, form: ReceivedForm, target: { fileId: string; blobKey: string }) {
  const file = form.file;
  if (!file) throw new AppError('invalid_parameter', 'file is required');
  const visibility = parseVisibility(form);
  if (file.stored.size === 0) throw new AppError('invalid_parameter', 'file is empty');
  const name = sanitiseFileName(file.fileName);
  const detected = detectSourceFormat(file, name, deps.capabilities);
  const expiresAt = uploadExpiry(call.identity, deps);
  return storeCommand(RegisterUpload, { aggregate: 'file', aggregateId: target.fileId }, call, {
    blob_key: target.blobKey,
    size: file.stored.size,
    sha256: file.stored.sha256,
    format: detected.format,
    mime: deps.capabilities.formats.get(detected.format)?.mime ?? detected.mime,
    name,
    visibility,
    uploaded_at: deps.clock.now().toISOString(),
    ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
    source: { kind: 'upload' },
  }, deps);
}

/**
 * `POST /api/files`: streams the form's `file` to the blob store and registers it (RegisterUpload,
 * as `POST /api/convert` does, without the conversion), then answers the file as the projection
 * shows it. The plan's storage quota and upload size apply, as to every upload. A refused form
 * leaves no blob behind.
 */
export async function uploadFile(deps: ApiDependencies, call: StoreCall): Promise<FileView> {
  const orgId = call.identity.orgId;
  await checkStorageQuota(deps, call.identity);
  const maxBytes = await maxUploadBytesFor(deps, call.identity);
  const fileId = deps.ids.next();
  const blobKey = uploadBlobKey(orgId, fileId);
  const form = await receiveMultipartUpload(call.request.raw, { blobs: deps.blobs, blobKey, maxBytes });
  let command: ReturnType<typeof registrationOf>;
  try {
    command = registrationOf(deps, call, form, { fileId, blobKey });
  } catch (error) {
    if (form.file) await deps.blobs.delete(blobKey).catch((deleteError: unknown) => call.request.log.warn({ err: deleteError, blobKey }, 'could not delete a refused upload'));
    throw error;
  }
  // Registered from here on: the blob belongs to the file, whatever happens next.
  await deps.commands.send(command);
  const stored = await deps.readModels.waitUntil(fileId, () => deps.readModels.file(orgId, fileId), (file) => file !== undefined, projectionWaitMs);
  const { data } = command;
  // A new file cannot refuse its registration: if the projection is slow, the file will read as this.
  return (
    stored?.view ?? {
      id: fileId,
      org_id: orgId,
      name: data.name,
      format: data.format,
      mime: data.mime,
      size: data.size,
      sha256: data.sha256,
      status: 'ready',
      created_at: data.uploaded_at,
    }
  );
}
