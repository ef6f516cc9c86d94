import { maxConversionInputs } from '@conveyor/contracts';
import { uploadBlobKey } from '@conveyor/core';
import type { ApiDependencies } from '../dependencies.js';
import { buildConversionCommands, queuedJob, type AdditionalSource, type ConversionCommands } from '../convert/conversion-commands.js';
import { validateDeletePagesRequest, validateMergeRequest } from '../convert/pdf-tool-forms.js';
import { receiveMultipartFiles, receiveMultipartUpload } from '../upload/multipart-upload.js';
import type { RoutePlugin } from './route-plugin.js';

/** How long the answer waits for the projection to show the new job (read-your-writes). */
const projectionWaitMs = 5000;

/** The fields a merge form may carry its PDFs in. */
const mergeFileFields = new Set(['files[]', 'files']);

/** Registers the uploads, then asks for the conversion; answers with the job as the projection shows it. */
async function requestConversion(deps: ApiDependencies, commands: ConversionCommands) {
  for (const register of commands.registerUploads) await deps.commands.send(register);
  await deps.commands.send(commands.requestConversion);
  const { org_id: orgId, aggregate_id: jobId } = commands.requestConversion;
  return (await deps.readModels.waitForConversionJob(orgId, jobId, projectionWaitMs)) ?? queuedJob(commands);
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

  app.post('/api/pdf/merge', async (request, reply) => {
    const orgId = request.identity.orgId;
    const jobId = deps.ids.next();
    const fileIds: string[] = [];
    const form = await receiveMultipartFiles(request.raw, {
      blobs: deps.blobs,
      blobKeyFor: (index) => uploadBlobKey(orgId, (fileIds[index] ??= deps.ids.next())),
      maxBytes: deps.config.limits.maxUploadBytes,
      fileFields: mergeFileFields,
      maxFiles: maxConversionInputs,
    });
    let commands: ConversionCommands;
    try {
      const merge = validateMergeRequest(form, deps);
      const rest: AdditionalSource[] = merge.rest.map((upload, index) => ({ ...upload, fileId: fileIds[index + 1]!, blobKey: form.files[index + 1]!.blobKey }));
      commands = buildConversionCommands(merge.first, { orgId, jobId, fileId: fileIds[0]!, blobKey: form.files[0]!.blobKey }, deps, rest);
    } catch (error) {
      await discardBlobs(deps, form.files.map((file) => file.blobKey));
      throw error;
    }
    request.log.info({ job_id: jobId, org_id: orgId, files: form.files.length }, 'merge requested');
    return reply.code(202).send(await requestConversion(deps, commands));
  });

  app.post('/api/pdf/delete-pages', async (request, reply) => {
    const orgId = request.identity.orgId;
    const fileId = deps.ids.next();
    const identity = { orgId, jobId: deps.ids.next(), fileId, blobKey: uploadBlobKey(orgId, fileId) };
    const form = await receiveMultipartUpload(request.raw, { blobs: deps.blobs, blobKey: identity.blobKey, maxBytes: deps.config.limits.maxUploadBytes });
    let commands: ConversionCommands;
    try {
      commands = buildConversionCommands(validateDeletePagesRequest(form, deps), identity, deps);
    } catch (error) {
      if (form.file) await discardBlobs(deps, [identity.blobKey]);
      throw error;
    }
    request.log.info({ job_id: identity.jobId, org_id: orgId }, 'page deletion requested');
    return reply.code(202).send(await requestConversion(deps, commands));
  });
};
