import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Where an S3-compatible service is and how to talk to it. */
export interface S3ConnectionSettings {
  region: string;
  /** For S3-compatible services (MinIO, Ceph, s3rver); AWS itself needs none. */
  endpoint?: string;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>`; most self-hosted services need it. */
  forcePathStyle?: boolean;
  /** Without both keys, the SDK's default chain applies (AWS_* variables, instance or task roles). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Open connections per protocol at most; more concurrent requests wait for one. */
  maxSockets?: number;
  connectionTimeoutMs?: number;
  /** How long a request may take until its response starts, and how long a connection may then stall. */
  requestTimeoutMs?: number;
}

const s3ConnectionDefaults = {
  maxSockets: 50,
  connectionTimeoutMs: 5_000,
  // Long enough to send one 8 MiB part over a slow uplink.
  requestTimeoutMs: 120_000,
} as const;

/**
 * An S3 client that keeps its connections open between requests: a multipart upload sends many
 * requests to one host, and a fresh TLS handshake for each would cost more than the part itself.
 */
export function createS3Client(settings: S3ConnectionSettings): S3Client {
  const maxSockets = settings.maxSockets ?? s3ConnectionDefaults.maxSockets;
  const requestTimeoutMs = settings.requestTimeoutMs ?? s3ConnectionDefaults.requestTimeoutMs;
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle ?? false,
    credentials: staticCredentials(settings),
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: settings.connectionTimeoutMs ?? s3ConnectionDefaults.connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Without this, an overdue request only logs a warning and then waits on.
      throwOnRequestTimeout: true,
      socketTimeout: requestTimeoutMs,
    }),
  });
}

function staticCredentials(settings: S3ConnectionSettings): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (settings.accessKeyId === undefined && settings.secretAccessKey === undefined) return undefined;
  if (!settings.accessKeyId || !settings.secretAccessKey) {
    throw new Error('S3 credentials need both an access key id and a secret access key');
  }
  return { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey };
}
