import type {
  ApiKeyUsage,
  BlobStore,
  CapabilityGraph,
  Clock,
  CommandSender,
  ConveyorConfig,
  FixedWindowLimiter,
  IdGenerator,
  PlanCatalog,
  PlanDirectory,
  PlanUsage,
  ReadModelQueries,
  SessionTokens,
  Telemetry,
} from '@conveyor/core';
import type { Logger } from 'pino';

export interface HealthReport {
  ok: boolean;
  /** One entry per dependency: "ok" or what is wrong. */
  checks: Record<string, string>;
}

/** Everything the HTTP ingress needs; built by the composition root (apps/cli). */
export interface ApiDependencies {
  config: ConveyorConfig;
  commands: CommandSender;
  blobs: BlobStore;
  readModels: ReadModelQueries;
  capabilities: CapabilityGraph;
  /** Hop bound for planning, so that ingress refuses what the planner could not plan. */
  maxHops: number;
  sessions: SessionTokens;
  /** When each API key was last used (throttled writes), for the keys' `last_used_at`. */
  apiKeyUsage: ApiKeyUsage;
  ids: IdGenerator;
  clock: Clock;
  health(): Promise<HealthReport>;
  /** What the metadata tool can rewrite, and its guide; undefined when no metadata tool runs here. */
  metadata: { writableFormats: readonly string[]; guide: unknown } | undefined;
  /** The plans' limits, which plan an org is on, and the shared counts they are checked against. */
  plans: { catalog: PlanCatalog; directory: PlanDirectory; usage: PlanUsage };
  /** Requests per org (or per address, before authentication) and minute, shared by every api process. */
  rateLimiter: FixedWindowLimiter;
  /** This process's metrics: the API records its requests there and serves them at `/metrics`. */
  telemetry: Telemetry;
  logger: Logger;
}
