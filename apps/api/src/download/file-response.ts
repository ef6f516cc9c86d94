import { AppError } from '@conveyor/contracts';
import type { StoredFile } from '@conveyor/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDependencies } from '../dependencies.js';
import { requestedRange } from './byte-range.js';
import { attachmentDisposition } from './content-disposition.js';
import { contentEntityTag, matchesIfNoneMatch, rangeStillApplies } from './entity-tag.js';

function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Answers with a file's bytes, streamed from the blob store: 304 when the client's copy is
 * current (`If-None-Match`), 206 with one byte range when one is asked for (`Range`, under
 * `If-Range`), 416 when the range lies past the end, and otherwise 200 with every byte. The
 * caller has already decided that the request may read the file, and refused a quarantined one.
 */
export async function sendFileContent(deps: Pick<ApiDependencies, 'blobs'>, file: StoredFile, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { size, sha256, mime, name } = file.view;
  const entityTag = contentEntityTag(sha256);
  void reply
    .header('etag', entityTag)
    .header('accept-ranges', 'bytes')
    // The bytes are the user's, not ours: a browser must never render them as something else.
    .header('x-content-type-options', 'nosniff');
  if (matchesIfNoneMatch(singleHeader(request, 'if-none-match'), entityTag)) return reply.code(304).send();

  const range = rangeStillApplies(singleHeader(request, 'if-range'), entityTag) ? requestedRange(singleHeader(request, 'range'), size) : { kind: 'whole' as const };
  if (range.kind === 'unsatisfiable') {
    void reply.header('content-range', `bytes */${size}`);
    throw new AppError('range_not_satisfiable', `the range ${singleHeader(request, 'range')} lies outside the file's ${size} bytes`);
  }
  void reply.header('content-type', mime).header('content-disposition', attachmentDisposition(name));
  if (range.kind === 'whole') {
    return reply.header('content-length', size).send(await deps.blobs.read(file.blobKey));
  }
  const { start, end } = range;
  return reply
    .code(206)
    .header('content-range', `bytes ${start}-${end}/${size}`)
    .header('content-length', end - start + 1)
    .send(await deps.blobs.read(file.blobKey, { start, end }));
}
