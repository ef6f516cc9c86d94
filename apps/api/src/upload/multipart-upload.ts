import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { AppError, sniffHeadLength } from '@conveyor/contracts';
import { BlobTooLargeError, type BlobStore, type BlobWriteResult } from '@conveyor/core';
import busboy from 'busboy';
import { HeadCapture } from './head-capture.js';

/** Text fields are small (a format name, a JSON options object): anything bigger is abuse. */
const formLimits = { fieldNameSize: 100, fieldSize: 64 * 1024, fields: 20 } as const;

/** Parts a form may have beyond its files: its text fields and a few stray parts. */
const partsBesidesFiles = 30;

export interface UploadTarget {
  blobs: BlobStore;
  blobKey: string;
  maxBytes: number;
}

export interface MultiUploadTarget {
  blobs: BlobStore;
  /** The blob key of the n-th file received (0-based). */
  blobKeyFor(index: number): string;
  /** The limit on each file. */
  maxBytes: number;
  /** The multipart field names that carry the files (`files[]`, `files`); other file parts are skipped. */
  fileFields: ReadonlySet<string>;
  /** More files than this is a client error, not something to drop silently. */
  maxFiles: number;
}

export interface ReceivedFile {
  /** The name the client gave, unsanitised. */
  fileName: string;
  /** The first bytes of the content, for sniffing its format. */
  head: Buffer;
  blobKey: string;
  stored: BlobWriteResult;
}

export interface ReceivedForm {
  fields: ReadonlyMap<string, string>;
  /** Undefined when the form had no `file` part; the blob is then not written. */
  file: ReceivedFile | undefined;
}

export interface ReceivedMultiForm {
  fields: ReadonlyMap<string, string>;
  /** In the order the parts came. */
  files: ReceivedFile[];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads a multipart/form-data request, streaming its `file` part straight to the blob store
 * as it arrives and collecting the text fields, which may come before or after the file.
 * A second `file` part is refused: converting the first and dropping it would surprise a client
 * that meant both (a PDF merge takes several at `POST /api/pdf/merge`).
 *
 * When it resolves, the blob under `target.blobKey` is stored and the caller owns it; when
 * it rejects (malformed form, upload over `maxBytes` → `file_too_large`), no blob is left.
 */
export async function receiveMultipartUpload(request: IncomingMessage, target: UploadTarget): Promise<ReceivedForm> {
  const form = await receive(request, { ...target, blobKeyFor: () => target.blobKey, fileFields: new Set(['file']), maxFiles: 1 });
  return { fields: form.fields, file: form.files[0] };
}

/**
 * Reads a multipart/form-data request with several files (a PDF merge's `files[]`), streaming
 * each straight to the blob store, one after the other as they arrive.
 *
 * When it resolves, every file's blob is stored and the caller owns them; when it rejects
 * (malformed form, a file over `maxBytes`, more than `maxFiles` files), none is left.
 */
export function receiveMultipartFiles(request: IncomingMessage, target: MultiUploadTarget): Promise<ReceivedMultiForm> {
  return receive(request, target);
}

function receive(request: IncomingMessage, target: MultiUploadTarget): Promise<ReceivedMultiForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // Browsers send UTF-8 file names unencoded; busboy would read them as latin1.
      parser = busboy({ headers: request.headers, defParamCharset: 'utf8', limits: { ...formLimits, parts: target.maxFiles + partsBesidesFiles } });
    } catch (error) {
      reject(new AppError('invalid_parameter', `expected a multipart/form-data body: ${describe(error)}`));
      return;
    }
    const fields = new Map<string, string>();
    const uploads: HeadCapture[] = [];
    const storing: Array<Promise<ReceivedFile>> = [];
    let settled = false;

    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      // Stop parsing and discard the rest of the body; end half-written blobs so the store drops them.
      request.unpipe(parser);
      request.resume();
      for (const upload of uploads) upload.destroy(new Error('upload abandoned'));
      const discardStoredBlobs = storing.map((stored) => stored.then((file) => target.blobs.delete(file.blobKey), () => undefined));
      Promise.allSettled(discardStoredBlobs).finally(() => reject(error));
    };

    const store = (stream: Readable, fileName: string, blobKey: string): Promise<ReceivedFile> => {
      const capture = new HeadCapture(sniffHeadLength);
      stream.on('error', (error) => capture.destroy(error));
      stream.pipe(capture);
      uploads.push(capture);
      return target.blobs.write(blobKey, capture, { maxBytes: target.maxBytes }).then((stored) => ({ fileName, head: capture.head, blobKey, stored }));
    };

    parser.on('file', (name, stream, info) => {
      if (settled || !target.fileFields.has(name)) {
        stream.resume();
        return;
      }
      if (storing.length >= target.maxFiles) {
        stream.resume();
        fail(new AppError('invalid_parameter', target.maxFiles === 1 ? `send one file per request: a second ${name} part came` : `at most ${target.maxFiles} files may be sent`));
        return;
      }
      const stored = store(stream, info.filename ?? '', target.blobKeyFor(storing.length));
      storing.push(stored);
      stored.catch((error: unknown) => {
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
      Promise.all(storing).then((files) => {
        if (settled) return;
        settled = true;
        resolve({ fields, files });
      }, () => undefined /* reported by the storing handler */);
    });
    request.on('error', (error) => fail(error));
    request.pipe(parser);
  });
}
