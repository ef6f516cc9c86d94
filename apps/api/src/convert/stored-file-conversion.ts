import { AppError, RequestConversion, type CommandEnvelope, type MessageOf } from '@conveyor/contracts';
import type { Clock, IdGenerator, StoredFile } from '@conveyor/core';
import { checkConversionOptions } from './conversion-options.js';
import { reachableTarget, type ConversionPlanning } from './conversion-request.js';

/** A conversion of a file already stored (not one uploaded with the request), as a client asks for it. */
export interface StoredFileConversionRequest {
  target_format: string;
  options: Record<string, unknown>;
}

/** Whose job, under which id the ingress minted. */
export interface StoredFileConversionIdentity {
  orgId: string;
  jobId: string;
}

/**
 * The target format the planner can reach from the file, as the client named it or as what it
 * names as an extension (`jpg` → `jpeg`), as `POST /api/convert` accepts; 400
 * `unsupported_conversion` when no plan reaches it, `invalid_parameter` when the options do not fit it.
 */
export function reachableTargetOf(file: StoredFile, request: StoredFileConversionRequest, planning: ConversionPlanning): string {
  const from = file.view.format;
  const requested = request.target_format.trim().toLowerCase();
  const reached = reachableTarget(planning, from, requested, request.options);
  if (!reached) throw new AppError('unsupported_conversion', `cannot convert ${from} to ${requested}`);
  checkConversionOptions(planning.capabilities, reached.plan);
  return reached.to;
}

/**
 * The RequestConversion command for a stored file: the file is the source, its blob the
 * source blob. The caller checks first that the file is the caller's and not quarantined.
 * Like `POST /api/convert`'s, it carries the job id as correlation id, so the job can be traced.
 */
export function storedFileConversionCommand(
  file: StoredFile,
  targetFormat: string,
  options: Record<string, unknown>,
  identity: StoredFileConversionIdentity,
  ports: { ids: IdGenerator; clock: Clock },
): CommandEnvelope<MessageOf<typeof RequestConversion>['data']> {
  return {
    id: ports.ids.next(),
    type: RequestConversion.type,
    version: RequestConversion.version,
    aggregate: 'conversion',
    aggregate_id: identity.jobId,
    org_id: identity.orgId,
    issued_at: ports.clock.now().toISOString(),
    correlation_id: identity.jobId,
    data: RequestConversion.schema.parse({
      file_id: file.view.id,
      source_name: file.view.name,
      source_format: file.view.format,
      source_blob_key: file.blobKey,
      target_format: targetFormat,
      options,
    }),
  };
}
