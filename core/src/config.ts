import { resolve } from 'node:path';
import { z } from 'zod';
import { parseTrustedProxies, type TrustedProxies } from './system/trusted-proxies.js';

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional());
const intFrom = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** A variable set to the empty string counts as unset: compose files pass `${X:-}` through that way. */
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default('127.0.0.1'),
  TRUST_PROXY: optionalText,
  DATA_DIR: z.string().default('./data'),
  NATS_URL: optionalUrl,
  DATABASE_URL: optionalUrl,
  /** Isolates one deployment's NATS streams and subjects from another's on the same server. */
  CONVEYOR_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]+$/).default('conveyor'),
  /** How many NATS servers keep a copy of each stream: 3 (or 5) on a NATS cluster; 1 on a single server. */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  CONVEYOR_PLUGINS: z.string().default(''),
  BLOB_DIR: z.string().optional(),
  /** Keeps blobs in this S3 bucket instead of BLOB_DIR. */
  S3_BUCKET: optionalText,
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** For S3-compatible services such as MinIO; unset for AWS. */
  S3_ENDPOINT: optionalUrl,
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  /** Unset: the AWS SDK's own chain (AWS_* variables, instance or task role) supplies credentials. */
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  /** A folder in the bucket, so that deployments can share one bucket. */
  S3_PREFIX: optionalText,
  MAX_UPLOAD_BYTES: intFrom(512 * 1024 * 1024),
  MAX_IMAGE_PIXELS: intFrom(100_000_000),
  MAX_MEDIA_DURATION_SECONDS: intFrom(4 * 60 * 60),
  MAX_DOCUMENT_PAGES: intFrom(2_000),
  MAX_DECOMPRESSED_BYTES: intFrom(1024 * 1024 * 1024),
  SCAN_MAX_EXPANSION_RATIO: intFrom(100),
  /** How long an anonymous session's files live before the sweeper removes them. */
  ANON_TTL_SECONDS: intFrom(24 * 60 * 60),
  /** Shared with the gateway that authenticates callers; without it, gateway identity headers are ignored. */
  GATEWAY_KEY: z.string().min(16).optional(),
  /** The plan of an org that has none recorded: free, pro or enterprise. */
  DEFAULT_PLAN: z.enum(['free', 'pro', 'enterprise']).default('free'),
  /** Overrides of the plans' limits, as JSON: {"pro":{"requests_per_minute":600}}. */
  PLAN_LIMITS: z.string().default(''),
  /** Requests one address may make in a minute to the routes that need no session. */
  RATE_LIMIT_PUBLIC_PER_MINUTE: intFrom(600),
  CONVERSION_TIMEOUT_MS: intFrom(5 * 60_000),
  TASK_ACK_WAIT_MS: intFrom(30_000),
  TASK_MAX_DELIVER: intFrom(5),
  WORKER_CONCURRENCY: intFrom(4),
  /** Signs session tokens; api processes behind one load balancer must share it. */
  SESSION_SECRET: z.string().min(16).optional(),
  MAX_PLAN_HOPS: intFrom(3),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).refine((env) => (env.S3_ACCESS_KEY_ID === undefined) === (env.S3_SECRET_ACCESS_KEY === undefined), {
  // One key without the other would silently fall back to the SDK's own credentials.
  message: 'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither',
  path: ['S3_ACCESS_KEY_ID'],
});

export interface ConveyorConfig {
  http: {
    port: number;
    host: string;
    /** Peers whose X-Forwarded-For names the client (rate limits per address count that client). */
    trustProxy: TrustedProxies;
    /** Where a process that serves no API (a worker) serves `GET /metrics`; undefined: it does not. */
    metricsPort: number | undefined;
  };
  dataDir: string;
  eventLog: { kind: 'jetstream'; url: string; namespace: string; streamReplicas: number } | { kind: 'sql' };
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };
  blobs:
    | { kind: 'local'; dir: string }
    | {
        kind: 's3';
        bucket: string;
        region: string;
        endpoint?: string;
        forcePathStyle: boolean;
        accessKeyId?: string;
        secretAccessKey?: string;
        prefix?: string;
      };
  plugins: string[];
  limits: {
    maxUploadBytes: number;
    maxImagePixels: number;
    conversionTimeoutMs: number;
    maxMediaDurationSeconds: number;
    maxDocumentPages: number;
    maxDecompressedBytes: number;
    /** Most a zip-based upload may expand (uncompressed ÷ compressed) before the scanner rejects it. */
    maxExpansionRatio: number;
  };
  tasks: { ackWaitMs: number; maxDeliver: number; concurrency: number };
  /** Undefined: a secret is kept in the data folder. */
  sessionSecret: string | undefined;
  identity: { anonTtlSeconds: number; gatewayKey: string | undefined };
  plans: {
    defaultPlan: 'free' | 'pro' | 'enterprise';
    overrides: string;
    /** The rate limit of unauthenticated callers, per address and minute (plans limit callers with a session). */
    publicRequestsPerMinute: number;
  };
  maxPlanHops: number;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
}

/** TRUST_PROXY, refused in the same words as the other settings. */
function trustedProxiesFrom(raw: string | undefined): TrustedProxies {
  try {
    return parseTrustedProxies(raw);
  } catch (error) {
    throw new Error(`invalid configuration: ${(error as Error).message}`);
  }
}

/** S3 when S3_BUCKET is set, otherwise a local folder. */
function blobsConfig(env: z.infer<typeof environmentSchema>, dataDir: string): ConveyorConfig['blobs'] {
  if (env.S3_BUCKET === undefined) return { kind: 'local', dir: resolve(env.BLOB_DIR ?? resolve(dataDir, 'blobs')) };
  return {
    kind: 's3',
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    prefix: env.S3_PREFIX,
  };
}

/** Reads and validates the environment once; nothing else reads `process.env`. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): ConveyorConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);
  return {
    http: { port: env.PORT, host: env.HOST, trustProxy: trustedProxiesFrom(env.TRUST_PROXY), metricsPort: env.METRICS_PORT },
    dataDir,
    eventLog: env.NATS_URL
      ? { kind: 'jetstream', url: env.NATS_URL, namespace: env.CONVEYOR_NAMESPACE, streamReplicas: env.NATS_STREAM_REPLICAS }
      : { kind: 'sql' },
    database: env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dir: resolve(dataDir, 'db') },
    blobs: blobsConfig(env, dataDir),
    plugins: env.CONVEYOR_PLUGINS.split(',').map((s) => s.trim()).filter(Boolean),
    limits: {
      maxUploadBytes: env.MAX_UPLOAD_BYTES,
      maxImagePixels: env.MAX_IMAGE_PIXELS,
      conversionTimeoutMs: env.CONVERSION_TIMEOUT_MS,
      maxMediaDurationSeconds: env.MAX_MEDIA_DURATION_SECONDS,
      maxDocumentPages: env.MAX_DOCUMENT_PAGES,
      maxDecompressedBytes: env.MAX_DECOMPRESSED_BYTES,
      maxExpansionRatio: env.SCAN_MAX_EXPANSION_RATIO,
    },
    tasks: { ackWaitMs: env.TASK_ACK_WAIT_MS, maxDeliver: env.TASK_MAX_DELIVER, concurrency: env.WORKER_CONCURRENCY },
    sessionSecret: env.SESSION_SECRET,
    identity: { anonTtlSeconds: env.ANON_TTL_SECONDS, gatewayKey: env.GATEWAY_KEY },
    plans: { defaultPlan: env.DEFAULT_PLAN, overrides: env.PLAN_LIMITS, publicRequestsPerMinute: env.RATE_LIMIT_PUBLIC_PER_MINUTE },
    maxPlanHops: env.MAX_PLAN_HOPS,
    logLevel: env.LOG_LEVEL,
  };
}
