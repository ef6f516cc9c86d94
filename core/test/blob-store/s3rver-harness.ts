import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** The credentials s3rver accepts by default. */
export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** The part of a Koa context the middleware here reads (s3rver is a Koa app without types). */
interface RequestContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
}
type Middleware = (context: RequestContext, next: () => Promise<void>) => Promise<void>;

interface S3rverServer {
  middleware: Middleware[];
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rverServer = S3rver as unknown as new (options: object) => S3rverServer;

/** A real S3 protocol server on a free local port, holding one empty bucket. */
export interface RunningS3rver {
  endpoint: string;
  /** Every request the server received, as `<method> <query parameter names>`: `PUT partNumber&uploadId` is an UploadPart. */
  requests: string[];
  /** Keys of the multipart uploads begun and neither completed nor aborted, under `prefix`. */
  unfinishedUploads(prefix: string): Promise<string[]>;
  /** A plain client for looking into the bucket behind the store's back. */
  client: S3Client;
  close(): Promise<void>;
}

/**
 * Starts s3rver with `bucket`. s3rver implements neither AbortMultipartUpload (it answers 405)
 * nor ListMultipartUploads (501); the first is added here, as S3 defines it, so that the store's
 * cleanup can be observed at all. Unfinished uploads are read from s3rver's own folder for them.
 */
export async function startS3rver(bucket: string): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'conveyor-s3rver-'));
  const uploadsFolder = join(directory, bucket, '._S3rver_uploads');
  const requests: string[] = [];
  const server = new S3rverServer({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });

  const recordRequest: Middleware = async (context, next) => {
    // The SDK adds `x-id=<operation>` to some requests; the other parameters tell them apart as well.
    const parameters = Object.keys(context.query).filter((name) => name !== 'x-id');
    requests.push(`${context.method} ${parameters.sort().join('&')}`);
    await next();
  };
  const abortMultipartUpload: Middleware = async (context, next) => {
    const uploadId = context.query.uploadId;
    if (context.method !== 'DELETE' || typeof uploadId !== 'string') return next();
    const uploadFolder = join(uploadsFolder, uploadId);
    if (!/^[0-9a-f]+$/.test(uploadId) || !(await readdir(uploadFolder).then(() => true, () => false))) {
      context.status = 404;
      context.type = 'application/xml';
      context.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>';
      return;
    }
    await rm(uploadFolder, { recursive: true, force: true });
    context.status = 204;
  };
  // Koa composes its middleware when the server starts listening, so these run before s3rver's router.
  server.middleware.unshift(recordRequest, abortMultipartUpload);

  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: s3rverCredentials });

  return {
    endpoint,
    requests,
    client,
    async unfinishedUploads(prefix) {
      const uploadIds = await readdir(uploadsFolder).catch(() => []);
      const keys = await Promise.all(uploadIds.map((uploadId) => readFile(join(uploadsFolder, uploadId, 'key'), 'utf8')));
      return keys.filter((key) => key.startsWith(prefix));
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
