import type { Clock, ConveyorConfig } from '@conveyor/core';
import type { Identity } from '../identity/identity.js';

/**
 * How long an upload by this caller lives: anonymous sessions' files are ephemeral and live
 * `ANON_TTL_SECONDS`; everyone else's stay until deleted (undefined).
 */
export function uploadLifetimeSeconds(identity: Identity, config: ConveyorConfig): number | undefined {
  return identity.kind === 'anonymous' ? config.identity.anonTtlSeconds : undefined;
}

/** The moment `lifetimeSeconds` after `from` (an ISO time), or undefined for a file that does not expire. */
export function expiryAfter(from: string, lifetimeSeconds: number | undefined): string | undefined {
  return lifetimeSeconds === undefined ? undefined : new Date(Date.parse(from) + lifetimeSeconds * 1000).toISOString();
}

/** When an upload by this caller, made now, expires; undefined when it does not. */
export function uploadExpiry(identity: Identity, ports: { config: ConveyorConfig; clock: Clock }): string | undefined {
  return expiryAfter(ports.clock.now().toISOString(), uploadLifetimeSeconds(identity, ports.config));
}
