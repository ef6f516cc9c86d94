import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobTooLargeError } from '../../src/blob-store/port.js';
import { S3BlobStore, type S3BlobStoreSettings } from '../../src/blob-store/s3/s3-blob-store.js';
import { runBlobStoreContract } from './contract.js';
import { s3rverCredentials, startS3rver, type RunningS3rver } from './s3rver-harness.js';

const bucket = 'conveyor-blobs';
const oneMebibyte = 2 ** 20;
const partSize = 8 * oneMebibyte;

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver(bucket);
});
afterAll(() => server?.close());

/** A store in its own folder of the bucket, so that every test starts empty. */
function storeInFreshFolder(settings: Partial<S3BlobStoreSettings> = {}): { store: S3BlobStore; prefix: string } {
  const prefix = `test-${randomUUID()}`;
  const store = new S3BlobStore({ bucket, region: 'us-east-1', endpoint: server.endpoint, forcePathStyle: true, ...s3rverCredentials, prefix, ...settings });
  return { store, prefix };
}

runBlobStoreContract('S3 (s3rver)', async () => {
  const { store, prefix } = storeInFreshFolder();
  return {
    store,
    stagedWrites: () => server.unfinishedUploads(`${prefix}/`),
    cleanup: async () => store.destroy(),
  };
});

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A source that sends `chunks` one at a time, as an upload arrives. */
function chunkedSource(chunks: Buffer[]): Readable {
  return Readable.from(chunks, { objectMode: false });
}

function endlessSource(): Readable {
  const chunk = randomBytes(oneMebibyte);
  return Readable.from(
    (async function* () {
      for (;;) yield chunk;
    })(),
  );
}

const countOf = (requests: string[], request: string) => requests.filter((seen) => seen === request).length;
const createMultipartUpload = 'POST uploads';
const uploadPart = 'PUT partNumber&uploadId';
const completeMultipartUpload = 'POST uploadId';
const abortMultipartUpload = 'DELETE uploadId';

describe('S3 blob store', () => {
  it('keeps the blob for key org/o1/f1 at the object <prefix>/org/o1/f1', async () => {
    const { store, prefix } = storeInFreshFolder();
    await store.write('org/o1/f1', chunkedSource([Buffer.from('bytes')]));
    const head = await server.client.send(new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}/org/o1/f1` }));
    expect(head.ContentLength).toBe(5);
    store.destroy();
  });

  it('names no local file for a blob: readers download it', async () => {
    const { store } = storeInFreshFolder();
    await store.write('org/o1/f1', chunkedSource([Buffer.from('bytes')]));
    expect(store.localFile('org/o1/f1')).toBeUndefined();
    store.destroy();
  });

  it('uploads a blob larger than one part in parts, and reads it back whole', async () => {
    const { store } = storeInFreshFolder();
    const chunks = Array.from({ length: 20 }, () => randomBytes(oneMebibyte));
    const bytes = Buffer.concat(chunks);
    const requestsBefore = server.requests.length;

    const result = await store.write('org/o1/large', chunkedSource(chunks));

    const requests = server.requests.slice(requestsBefore);
    expect(countOf(requests, createMultipartUpload)).toBe(1);
    expect(countOf(requests, uploadPart)).toBe(Math.ceil(bytes.length / partSize));
    expect(countOf(requests, completeMultipartUpload)).toBe(1);
    expect(result).toEqual({ size: bytes.length, sha256: sha256Of(bytes) });
    expect(await store.size('org/o1/large')).toBe(bytes.length);
    const readBack = createHash('sha256');
    for await (const chunk of await store.read('org/o1/large')) readBack.update(chunk as Buffer);
    expect(readBack.digest('hex')).toBe(sha256Of(bytes));
    store.destroy();
  });

  it('aborts the multipart upload when maxBytes is crossed after some parts went up, and keeps nothing', async () => {
    const { store, prefix } = storeInFreshFolder();
    const maxBytes = 2.5 * partSize;
    const requestsBefore = server.requests.length;

    await expect(store.write('org/o1/too-large', endlessSource(), { maxBytes })).rejects.toBeInstanceOf(BlobTooLargeError);

    const requests = server.requests.slice(requestsBefore);
    // Without these the test would pass for a store that never began a multipart upload.
    expect(countOf(requests, createMultipartUpload)).toBe(1);
    expect(countOf(requests, uploadPart)).toBeGreaterThanOrEqual(2);
    expect(countOf(requests, abortMultipartUpload)).toBe(1);
    expect(countOf(requests, completeMultipartUpload)).toBe(0);
    expect(await server.unfinishedUploads(`${prefix}/`)).toEqual([]);
    expect(await store.size('org/o1/too-large')).toBeUndefined();
    store.destroy();
  });

  it('stops reading the source when S3 refuses the upload', async () => {
    const { store } = storeInFreshFolder({ bucket: 'no-such-bucket' });
    const source = endlessSource();
    await expect(store.write('org/o1/f1', source)).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(source.destroyed).toBe(true);
    store.destroy();
  });

  it('fails ping with an error that names the missing bucket', async () => {
    const { store } = storeInFreshFolder({ bucket: 'no-such-bucket' });
    await expect(store.ping()).rejects.toThrow('S3 bucket "no-such-bucket" does not exist');
    store.destroy();
  });
});
