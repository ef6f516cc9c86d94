import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { AppError } from '@conveyor/contracts';
import { BlobTooLargeError, sniffHeadLength, type BlobStore, type BlobWriteResult } from '@conveyor/core';
import busboy from 'busboy';
import { HeadCapture } from './head-capture.js';

/** The multipart field that carries the upload; other file parts are skipped. */
const fileFieldName = 'file';

/** Text fields are small (a format name, a JSON options object): anything bigger is abuse. */
const formLimits = { fieldNameSize: 100, fieldSize: 64 * 1024, fields: 20, parts: 30 } as const;

export interface UploadTarget {
  blobs: BlobStore;
  blobKey: string;
  maxBytes: number;
}

export interface ReceivedFile {
  /** The name the client gave, unsanitised. */
  fileName: string;
  /** The first bytes of the content, for sniffing its format. */
  head: Buffer;
  stored: BlobWriteResult;
}

export interface ReceivedForm {
  fields: ReadonlyMap<string, string>;
  /** Undefined when the form had no `file` part; the blob is then not written. */
  file: ReceivedFile | undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads a multipart/form-data request, streaming its `file` part straight to the blob store
 * as it arrives and collecting the text fields, which may come before or after the file.
 *
 * When it resolves, the blob under `target.blobKey` is stored and the caller owns it; when
 * it rejects (malformed form, upload over `maxBytes` → `file_too_large`), no blob is left.
 */
export function receiveMultipartUpload(request: IncomingMessage, target: UploadTarget): Promise<ReceivedForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // Browsers send UTF-8 file names unencoded; busboy would read them as latin1.
      parser = busboy({ headers: request.headers, defParamCharset: 'utf8', limits: formLimits });
    } catch (error) {
      reject(new AppError('invalid_parameter', `expected a multipart/form-data body: ${describe(error)}`));
      return;
    }
    const fields = new Map<string, string>();
    let upload: HeadCapture | undefined;
    let storing: Promise<ReceivedFile> | undefined;
    let settled = false;

    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      // Stop parsing and discard the rest of the body; end a half-written blob so the store drops it.
      request.unpipe(parser);
      request.resume();
      upload?.destroy(new Error('upload abandoned'));
      const discardStoredBlob = storing ? storing.then(() => target.blobs.delete(target.blobKey), () => undefined) : Promise.resolve();
      discardStoredBlob.catch(() => undefined).finally(() => reject(error));
    };

    const store = (stream: Readable, fileName: string): Promise<ReceivedFile> => {
      const capture = new HeadCapture(sniffHeadLength);
      // Stream errors surface through the blob store's promise; this keeps them from being unhandled.
      capture.on('error', () => undefined);
      stream.on('error', (error) => capture.destroy(error));
      stream.pipe(capture);
      upload = capture;
      return target.blobs
        .write(target.blobKey, capture, { maxBytes: target.maxBytes })
        .then((stored) => ({ fileName, head: capture.head, stored }));
    };

    parser.on('file', (name, stream, info) => {
      if (name !== fileFieldName || storing || settled) {
        stream.resume();
        return;
      }
      storing = store(stream, info.filename ?? '');
      storing.catch((error: unknown) => {
        fail(error instanceof BlobTooLargeError ? new AppError('file_too_large', `file exceeds the upload limit of ${target.maxBytes} bytes`) : error);
      });
    });
    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) fail(new AppError('invalid_parameter', `form field ${name} is too long`));
      else fields.set(name, value);
    });
    const tooManyParts = () => fail(new AppError('invalid_parameter', 'the form has too many parts'));
    parser.on('partsLimit', tooManyParts);
    parser.on('fieldsLimit', tooManyParts);
    parser.on('error', (error) => fail(new AppError('invalid_parameter', `malformed multipart body: ${describe(error)}`)));
    parser.on('close', () => {
      const file = storing ?? Promise.resolve(undefined);
      file.then((received) => {
        if (settled) return;
        settled = true;
        resolve({ fields, file: received });
      }, () => undefined /* reported by the storing handler */);
    });
    request.on('error', (error) => fail(error));
    request.pipe(parser);
  });
}
