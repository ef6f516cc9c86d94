import type { BlobStore, CapabilityGraph, Clock, CommandSender, ConveyorConfig, IdGenerator, ReadModelQueries, SessionTokens } from '@conveyor/core';
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
  ids: IdGenerator;
  clock: Clock;
  health(): Promise<HealthReport>;
  /** What the metadata tool can rewrite, and its guide; undefined when no metadata tool runs here. */
  metadata: { writableFormats: readonly string[]; guide: unknown } | undefined;
  logger: Logger;
}
