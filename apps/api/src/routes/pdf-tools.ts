import { maxConversionInputs } from '@conveyor/contracts';
import { uploadBlobKey } from '@conveyor/core';
import type { ApiDependencies } from '../dependencies.js';
import { buildConversionCommands, queuedJob, type AdditionalSource, type ConversionCommands } from '../convert/conversion-commands.js';
import { validateDeletePagesRequest, validateMergeRequest } from '../convert/pdf-tool-forms.js';
import { receiveMultipartFiles, receiveMultipartUpload } from '../upload/multipart-upload.js';
import { uploadLifetimeSeconds } from '../convert/file-expiry.js';
import { admitConversion } from '../limits/admit-conversion.js';
import { checkMergeSize, checkPreserveMetadata } from '../limits/plan-checks.js';
import type { RoutePlugin } from './route-plugin.js';

/** How long the answer waits for the projection to show the new job (read-your-writes). */
const projectionWaitMs = 5000;

/** The fields a merge form may carry its PDFs in. */
const mergeFileFields = new Set(['files[]', 'files']);

/** Registers the uploads, then asks for the conversion; answers with the job as the projection shows it. */
async function requestConversion(deps: ApiDependencies, commands: ConversionCommands) {
  for (const register of commands.registerUploads) await deps.commands.send(register);
  const { org_id: orgId, aggregate_id: jobId } = commands.requestConversion;
  const projected = deps.readModels.expectConversionJob(orgId, jobId, projectionWaitMs);
  await deps.commands.send(commands.requestConversion);
  return (await projected.landed()) ?? queuedJob(commands);
}

/** Deletes what was stored for a request the ingress refused: nothing will ever refer to it. */
async function discardBlobs(deps: ApiDependencies, keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => deps.blobs.delete(key).catch((error: unknown) => deps.logger.warn({ err: error, key }, 'could not delete a refused upload'))));
}

/**
 * PDF tools: `POST /api/pdf/merge` (2–20 PDFs in `files[]`, merged in order) and
 * `POST /api/pdf/delete-pages` (`file` and `pages`, e.g. `2,5,8`). Each is a PDF → PDF
 * conversion job, answered 202 like `POST /api/convert`; its output is a new file.
 */
export const pdfToolRoutes: RoutePlugin = async (app, { deps }) => {
  // The handlers stream the body themselves (busboy); the parser only lets multipart requests through untouched.
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));

  app.post('/api/pdf/merge', { config: { scope: 'convert:write' }, schema: { tags: ['Convert'], summary: 'Merge 2–20 PDFs (multipart files[]) into one, in the order sent; returns a job.', consumes: ['multipart/form-data'] } }, async (request, reply) => {
    const { maxUploadBytes } = await admitConversion(deps, request.identity);
    const orgId = request.identity.orgId;
    const jobId = deps.ids.next();
    const fileIds: string[] = [];
    const form = await receiveMultipartFiles(request.raw, {
      blobs: deps.blobs,
      blobKeyFor: (index) => uploadBlobKey(orgId, (fileIds[index] ??= deps.ids.next())),
      maxBytes: maxUploadBytes,
      fileFields: mergeFileFields,
      maxFiles: maxConversionInputs,
    });
    let commands: ConversionCommands;
    try {
      await checkMergeSize(deps, request.identity, form.files.length);
      const merge = validateMergeRequest(form, deps);
      await checkPreserveMetadata(deps, request.identity, merge.first.options);
      const rest: AdditionalSource[] = merge.rest.map((upload, index) => ({ ...upload, fileId: fileIds[index + 1]!, blobKey: form.files[index + 1]!.blobKey }));
      commands = buildConversionCommands(merge.first, { orgId, jobId, fileId: fileIds[0]!, blobKey: form.files[0]!.blobKey, lifetimeSeconds: uploadLifetimeSeconds(request.identity, deps.config) }, deps, rest);
    } catch (error) {
      await discardBlobs(deps, form.files.map((file) => file.blobKey));
      throw error;
    }
    request.log.info({ job_id: jobId, org_id: orgId, files: form.files.length }, 'merge requested');
    return reply.code(202).send(await requestConversion(deps, commands));
  });

  app.post('/api/pdf/delete-pages', { config: { scope: 'convert:write' }, schema: { tags: ['Convert'], summary: 'Delete pages (1-indexed, comma-separated) from a PDF (multipart file, pages); returns a job.', consumes: ['multipart/form-data'] } }, async (request, reply) => {
    const { maxUploadBytes } = await admitConversion(deps, request.identity);
    const orgId = request.identity.orgId;
    const fileId = deps.ids.next();
    const identity = { orgId, jobId: deps.ids.next(), fileId, blobKey: uploadBlobKey(orgId, fileId), lifetimeSeconds: uploadLifetimeSeconds(request.identity, deps.config) };
    const form = await receiveMultipartUpload(request.raw, { blobs: deps.blobs, blobKey: identity.blobKey, maxBytes: maxUploadBytes });
    let commands: ConversionCommands;
    try {
      const deletion = validateDeletePagesRequest(form, deps);
      await checkPreserveMetadata(deps, request.identity, deletion.options);
      commands = buildConversionCommands(deletion, identity, deps);
    } catch (error) {
      if (form.file) await discardBlobs(deps, [identity.blobKey]);
      throw error;
    }
    request.log.info({ job_id: identity.jobId, org_id: orgId }, 'page deletion requested');
    return reply.code(202).send(await requestConversion(deps, commands));
  });
};
