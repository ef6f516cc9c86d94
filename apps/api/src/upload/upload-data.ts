import { AppError, RegisterUpload, type FileView } from '@conveyor/contracts';
import { detectSourceFormat } from '../convert/conversion-request.js';
import type { ApiDependencies } from '../dependencies.js';
import { maxUploadBytesFor } from '../limits/plan-checks.js';
import type { StoreCall } from '../resources/resource-definition.js';
import { storeCommand } from '../resources/stores/store-commands.js';
import { findCallersPendingUpload, waitUntilSettled } from './announced-upload.js';
import { receiveRawUpload, type ReceivedBody } from './raw-body-upload.js';
import { uploadAttemptBlobKey } from './upload-blob-key.js';
import { throughputOf } from './upload-throughput.js';
import type { UploadsInFlight } from './uploads-in-flight.js';

/** Refuses, before a byte is read, a body whose announced length the plan cannot take. */
function refuseAnnouncedOversize(call: StoreCall, maxBytes: number): void {
  const announced = Number(call.request.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    throw new AppError('file_too_large', `a body of ${announced} bytes exceeds the upload limit of ${maxBytes} bytes`);
  }
}

/** The stored body's format, or the AppError that refuses it (empty, unrecognised, named as something it is not). */
function formatOf(deps: ApiDependencies, name: string, blobKey: string, body: ReceivedBody): { format: string; mime: string } {
  if (body.stored.size === 0) throw new AppError('invalid_parameter', 'the upload is empty');
  const detected = detectSourceFormat({ fileName: name, head: body.head, blobKey, stored: body.stored }, name, deps.capabilities);
  return { format: detected.format, mime: deps.capabilities.formats.get(detected.format)?.mime ?? detected.mime };
}

/**
 * `PUT /api/uploads/{file_id}/data`: streams the request body to the blob store and registers
 * it as the pending upload's content (RegisterUpload, with the throughput it came in at), then
 * answers the file as the projection shows it.
 *
 * Each attempt stores under its own key and keeps its bytes only if its registration is the
 * one that completed the upload; otherwise (a racing PUT won, or the upload was aborted) it
 * deletes them. A refused body (over the limit, empty, unrecognised) leaves the upload pending.
 *
 * @throws AppError `not_found` (unknown, aborted, another org's), `conflict` (not pending, or lost
 *   a race), `file_too_large` (over the plan's limit, as soon as it is crossed).
 */
export async function receiveUploadData(deps: ApiDependencies, call: StoreCall, fileId: string, inFlight: UploadsInFlight): Promise<FileView> {
  const orgId = call.identity.orgId;
  const upload = await findCallersPendingUpload(deps, call.identity, fileId);
  const maxBytes = await maxUploadBytesFor(deps, call.identity);
  refuseAnnouncedOversize(call, maxBytes);
  const blobKey = uploadAttemptBlobKey(orgId, fileId, deps.ids.next());
  const receiving = inFlight.begin(fileId);
  const startedAt = deps.clock.now();
  let body: ReceivedBody;
  try {
    body = await receiveRawUpload(call.request.raw, { blobs: deps.blobs, blobKey, maxBytes }, receiving.signal);
  } finally {
    receiving.done();
  }
  const finishedAt = deps.clock.now();

  const discard = async () => {
    await deps.blobs.delete(blobKey).catch((error: unknown) => call.request.log.warn({ err: error, blobKey }, 'could not delete an unregistered upload'));
  };
  let format: { format: string; mime: string };
  try {
    format = formatOf(deps, upload.name, blobKey, body);
  } catch (error) {
    await discard();
    throw error;
  }
  const throughput = throughputOf(body.stored.size, startedAt, finishedAt);
  const command = storeCommand(RegisterUpload, { aggregate: 'file', aggregateId: fileId }, call, {
    blob_key: blobKey,
    size: body.stored.size,
    sha256: body.stored.sha256,
    ...format,
    name: upload.name,
    visibility: 'private',
    uploaded_at: finishedAt.toISOString(),
    ...(upload.expiresAt === undefined ? {} : { expires_at: upload.expiresAt }),
    source: { kind: 'upload' },
    ...(throughput === undefined ? {} : { throughput_bytes_per_s: throughput }),
  }, deps);
  await deps.commands.send(command);

  const settled = await waitUntilSettled(deps, orgId, fileId);
  if (settled?.status === 'pending') {
    // The projection is slow; the registration is on its way and a pending upload cannot refuse it.
    return { id: fileId, org_id: orgId, name: upload.name, ...format, size: body.stored.size, sha256: body.stored.sha256, status: 'ready', created_at: finishedAt.toISOString() };
  }
  const stored = settled && (await deps.readModels.file(orgId, fileId));
  if (stored && stored.blobKey === blobKey) return stored.view;
  await discard();
  if (stored) throw new AppError('conflict', `upload ${fileId} was completed by another request`);
  throw new AppError('not_found', `upload ${fileId} was aborted`);
}
