import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';
import { AppError, sniffHeadLength } from '@conveyor/contracts';
import { BlobTooLargeError, type BlobWriteResult } from '@conveyor/core';
import { HeadCapture } from './head-capture.js';
import type { UploadTarget } from './multipart-upload.js';

export interface ReceivedBody {
  /** The first bytes of the content, for sniffing its format. */
  head: Buffer;
  stored: BlobWriteResult;
}

/**
 * Streams a request's raw body (`PUT …/data`) straight to the blob store, never holding it
 * whole. Aborting `signal` gives up on it as a client's disconnect does.
 *
 * When it resolves, the blob under `target.blobKey` is stored and the caller owns it; when it
 * rejects (over `maxBytes` → `file_too_large`, client gone, aborted), no blob is left and the
 * rest of the body is read and dropped, so that the answer reaches the client at once.
 */
export function receiveRawUpload(request: IncomingMessage, target: UploadTarget, signal?: AbortSignal): Promise<ReceivedBody> {
  // The store destroys what it writes from when a write fails; the request must survive that to be answered.
  const capture = new HeadCapture(sniffHeadLength);
  const giveUp = (reason: Error) => capture.destroy(reason);
  // A client that disconnects mid-body ends the request without an 'end': the write must fail, not wait forever.
  const stopWatching = finished(request, (error) => {
    if (error) giveUp(new AppError('invalid_parameter', 'the client went away before the upload ended'));
  });
  const onAbort = () => giveUp(new AppError('not_found', 'the upload was aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  request.pipe(capture);

  return target.blobs.write(target.blobKey, capture, { maxBytes: target.maxBytes }).then(
    (stored) => ({ head: capture.head, stored }),
    (error: unknown) => {
      request.unpipe(capture);
      request.resume();
      throw error instanceof BlobTooLargeError ? new AppError('file_too_large', `file exceeds the upload limit of ${target.maxBytes} bytes`) : error;
    },
  ).finally(() => {
    stopWatching();
    signal?.removeEventListener('abort', onAbort);
  });
}
