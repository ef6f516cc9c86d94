import { uploadBlobKey, type BlobStore } from '@conveyor/core';
import type { FastifyBaseLogger } from 'fastify';
import { uploadLifetimeSeconds } from '../convert/file-expiry.js';
import { admitConversion } from '../limits/admit-conversion.js';
import { checkPreserveMetadata } from '../limits/plan-checks.js';
import type { Identity } from '../identity/identity.js';
import type { ApiDependencies } from '../dependencies.js';
import { buildConversionCommands, queuedJob, type ConversionIdentity } from '../convert/conversion-commands.js';
import { validateConversionRequest } from '../convert/conversion-request.js';
import { receiveMultipartUpload } from '../upload/multipart-upload.js';
import type { RoutePlugin } from './route-plugin.js';

/** How long the answer waits for the projection to show the new job (read-your-writes). */
const projectionWaitMs = 5000;

/** Runs `work`; if it throws, deletes the blob first, since nothing will ever refer to it. */
async function discardBlobOnFailure<T>(blobs: BlobStore, blobKey: string, log: FastifyBaseLogger, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await blobs.delete(blobKey).catch((deleteError: unknown) => log.warn({ err: deleteError, blobKey }, 'could not delete a rejected upload'));
    throw error;
  }
}

function mintIdentity(deps: ApiDependencies, caller: Identity): ConversionIdentity {
  const fileId = deps.ids.next();
  const orgId = caller.orgId;
  return { orgId, fileId, jobId: deps.ids.next(), blobKey: uploadBlobKey(orgId, fileId), lifetimeSeconds: uploadLifetimeSeconds(caller, deps.config) };
}

/**
 * Documents the multipart fields; the handler parses them itself while streaming, so Fastify
 * is given no body schema to validate against.
 */
const convertRouteSchema = {
  tags: ['Convert'],
  summary: 'One-shot multipart: upload + convert in a single call (file, target_format, visibility, preset, options); returns a job.',
  consumes: ['multipart/form-data'],
};

/** `POST /api/convert`: one-shot multipart upload + conversion request; answers 202 with the job. */
export const convertRoutes: RoutePlugin = async (app, { deps }) => {
  // The handler streams the body itself (busboy); the parser only lets multipart requests through untouched.
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));

  app.post('/api/convert', { config: { scope: 'convert:write' }, schema: convertRouteSchema }, async (request, reply) => {
    const { maxUploadBytes } = await admitConversion(deps, request.identity);
    const identity = mintIdentity(deps, request.identity);
    const form = await receiveMultipartUpload(request.raw, { blobs: deps.blobs, blobKey: identity.blobKey, maxBytes: maxUploadBytes });
    const commands = await discardBlobOnFailure(deps.blobs, identity.blobKey, request.log, async () => {
      const conversion = validateConversionRequest(form, deps);
      await checkPreserveMetadata(deps, request.identity, conversion.options);
      const built = buildConversionCommands(conversion, identity, deps);
      for (const register of built.registerUploads) await deps.commands.send(register);
      return built;
    });
    // The upload is registered now: from here on the blob belongs to the file, whatever happens.
    const projected = deps.readModels.expectConversionJob(identity.orgId, identity.jobId, projectionWaitMs);
    await deps.commands.send(commands.requestConversion);
    request.log.info({ job_id: identity.jobId, file_id: identity.fileId, org_id: identity.orgId }, 'conversion requested');
    const job = await projected.landed();
    return reply.code(202).send(job ?? queuedJob(commands));
  });
};
