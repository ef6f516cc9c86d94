import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BlobDigest, digestingStage } from '../blob-digest.js';
import { openForStream } from '../open-for-stream.js';
import type { BlobStore, BlobWriteOptions, BlobWriteResult } from '../port.js';
import { objectKeysUnder } from './object-keys.js';
import { createS3Client, type S3ConnectionSettings } from './s3-client.js';
import { isAccessDenied, isNotFound, isUnsatisfiableRange } from './s3-errors.js';

/** Where the blobs live: a bucket (and a folder in it) on an S3-compatible service. */
export interface S3BlobStoreSettings extends S3ConnectionSettings {
  bucket: string;
  /** A folder inside the bucket, so that several deployments can share one bucket. */
  prefix?: string;
}

/**
 * Parts are buffered in memory, up to `partSize × (queueSize + 1)` bytes per write: 40 MiB.
 * 8 MiB parts allow objects up to about 78 GiB within S3's limit of 10,000 parts.
 */
const partSize = 8 * 2 ** 20;
const queueSize = 4;

/**
 * Blobs as objects in an S3 bucket: key `org/o1/f1` is the object `<prefix>/org/o1/f1`.
 * A write streams through a multipart upload (or one PutObject when it fits in a part) and the
 * object appears only when the upload completes, so a reader never sees a partial blob.
 *
 * @example
 * const blobs = new S3BlobStore({ bucket: 'conveyor', region: 'us-east-1', endpoint: 'http://minio:9000', forcePathStyle: true });
 * const { size, sha256 } = await blobs.write('org/o1/f1', upload, { maxBytes: 100 * 2 ** 20 });
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly objectKeyOf: (blobKey: string) => string;

  constructor(settings: S3BlobStoreSettings) {
    this.client = createS3Client(settings);
    this.bucket = settings.bucket;
    this.objectKeyOf = objectKeysUnder(settings.prefix);
  }

  /**
   * Crossing `maxBytes` fails the digesting stage. lib-storage treats a failing body like any
   * failed part: it waits for the parts in flight, aborts the multipart upload and only then
   * rejects, so when this rejects no object and no unfinished upload is left. (`upload.abort()`
   * would reject at once and send the AbortMultipartUpload later, unawaited.) Should that abort
   * fail, its error is the one thrown: the write failed and could not clean up after itself.
   */
  async write(key: string, source: Readable, options: BlobWriteOptions = {}): Promise<BlobWriteResult> {
    const objectKey = this.objectKeyOf(key);
    const digest = new BlobDigest(options.maxBytes);
    const body = digestingStage(digest);
    // A stream failure reaches the caller through the upload, which reads the same stream; caught
    // here, it is never an unhandled rejection while the upload still runs.
    const feeding = pipeline(source, body).catch(() => undefined);
    const upload = new Upload({ client: this.client, params: { Bucket: this.bucket, Key: objectKey, Body: body }, partSize, queueSize });
    try {
      await upload.done();
    } catch (error) {
      // When the upload failed by itself, the source would stay open, waiting for a reader that is gone.
      body.destroy();
      await feeding;
      throw error;
    }
    return digest.result();
  }

  /** Uploads a local file; the caller may delete or change the file afterwards. */
  async writeFile(key: string, path: string): Promise<BlobWriteResult> {
    return this.write(key, createReadStream(path));
  }

  /** Objects are not local files: a reader downloads them. */
  localFile(): undefined {
    return undefined;
  }

  async downloadTo(key: string, path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const bytes = await this.read(key);
    const file = await openForStream(bytes, () => open(path, 'w'));
    try {
      await pipeline(bytes, file.createWriteStream()).finally(() => file.close());
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /**
   * Streams the blob, or the inclusive byte range `start`–`end` of it (as in an HTTP Range).
   * A range that starts past the end reads nothing, as a file would, where S3 answers 416.
   */
  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    if (range && !(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
      throw new RangeError(`invalid byte range ${range.start}-${range.end}`);
    }
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKeyOf(key),
      Range: range ? `bytes=${range.start}-${range.end}` : undefined,
    });
    try {
      const response = await this.client.send(command);
      // In Node the SDK's body is an http.IncomingMessage, which is a Readable.
      return response.Body as Readable;
    } catch (error) {
      if (range && isUnsatisfiableRange(error)) return Readable.from([]);
      throw error;
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKeyOf(key) }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Deletes the blob; S3 answers a delete of a missing object with success too. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKeyOf(key) }));
  }

  /** Resolves when the bucket exists and the credentials may use it; rejects with a readable reason otherwise. */
  async ping(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (isNotFound(error)) throw new Error(`S3 bucket "${this.bucket}" does not exist`, { cause: error });
      if (isAccessDenied(error)) throw new Error(`S3 bucket "${this.bucket}" denies access to these credentials`, { cause: error });
      throw error;
    }
  }

  /** Closes the pooled connections; the store is unusable afterwards. */
  destroy(): void {
    this.client.destroy();
  }
}
