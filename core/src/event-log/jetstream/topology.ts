import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type OrderedConsumerOptions,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { streamKinds, type ConsumeOptions, type StreamKind } from '../port.js';
import type { Namespace } from './namespace.js';

/**
 * Every stream and consumer configuration the adapter uses, declared here as data, so that
 * `deploy/` and a reader of this file see the whole JetStream footprint in one place. Only
 * NATS 2.9 features: one filter subject per consumer, no subject transforms.
 */

/** Long enough to cover a client retrying an append after a timeout or a reconnect. */
const duplicateWindowMs = 2 * 60_000;

/** Readers (`readSubject`, `readStream`) delete their consumer; the server reaps any left behind. */
const readerInactiveThresholdMs = 30_000;

/** Followers are ordered consumers; they are recreated on reconnect, so a short idle life is fine. */
const followerInactiveThresholdMs = 60_000;

const descriptions: Record<StreamKind, string> = {
  commands: 'Conveyor commands: intentions addressed to one aggregate',
  events: 'Conveyor events: the source of truth, one subject per aggregate',
  tasks: 'Conveyor tasks: work for converter, scanner and metadata workers',
};

export type StreamDefinition = Pick<
  StreamConfig,
  'name' | 'description' | 'subjects' | 'storage' | 'retention' | 'discard' | 'duplicate_window' | 'num_replicas'
>;

/**
 * One file-backed stream per kind. All three keep messages by limits (never by interest or as a
 * work queue), tasks included: a work-queue stream on 2.9 refuses two consumers with overlapping
 * filters and non-acking readers, while the log promises that separate durable consumers each see
 * every task and that `readStream`/`follow` work on every stream. Acked tasks therefore stay in
 * the stream; add `max_age` here if a deployment needs them trimmed.
 */
export function streamDefinitions(namespace: Namespace, replicas = 1): StreamDefinition[] {
  return streamKinds.map((kind) => ({
    name: namespace.streamName(kind),
    description: descriptions[kind],
    subjects: [namespace.streamSubjects(kind)],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(duplicateWindowMs),
    num_replicas: replicas,
  }));
}

/** JetStream's answer when a stream exists with another configuration. */
const streamNameInUse = 10058;

/**
 * JetStream's answer when creating a stream failed inside the server (configuration errors have
 * their own codes). On NATS 2.9 it comes from a race: the server removes the account's storage
 * directory when its last stream is deleted, so a create racing that deletion (another deployment
 * or test run tearing down on the same server) fails with "error creating store for stream"
 * once, and succeeds when retried.
 */
const streamCreateFailed = 10049;
const streamCreateAttempts = 3;

/** Creates the namespace's streams, or brings existing ones to the declared configuration. */
export async function applyTopology(manager: JetStreamManager, namespace: Namespace, replicas: number): Promise<void> {
  for (const definition of streamDefinitions(namespace, replicas)) {
    await addOrUpdateStream(manager, definition);
  }
}

async function addOrUpdateStream(manager: JetStreamManager, definition: StreamDefinition): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await manager.streams.add(definition); // identical configuration: a no-op
      return;
    } catch (error) {
      const code = error instanceof JetStreamApiError ? error.code : undefined;
      if (code === streamNameInUse) {
        const { name, storage: _storage, retention: _retention, ...updatable } = definition;
        await manager.streams.update(name, updatable);
        return;
      }
      if (code !== streamCreateFailed || attempt >= streamCreateAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/**
 * The durable pull consumer behind `consume()`. The server allows one delivery more than
 * `maxDeliver`: that extra delivery is never handed to the handler; the adapter uses it to
 * dead-letter the message and terminate it.
 */
export function durableConsumerConfig(namespace: Namespace, options: ConsumeOptions): Partial<ConsumerConfig> {
  return {
    durable_name: options.consumer,
    filter_subject: namespace.physicalSubject(options.subjectFilter),
    deliver_policy: DeliverPolicy.All,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(options.ackWaitMs),
    max_deliver: options.maxDeliver + 1,
    replay_policy: ReplayPolicy.Instant,
  };
}

/** A throwaway consumer that reads a bounded range once: no acks, state in memory only. */
export function readerConsumerConfig(startSequence: number, filterSubject?: string): Partial<ConsumerConfig> {
  return {
    ...(filterSubject === undefined ? {} : { filter_subject: filterSubject }),
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: startSequence,
    ack_policy: AckPolicy.None,
    replay_policy: ReplayPolicy.Instant,
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: nanos(readerInactiveThresholdMs),
  };
}

/** The ordered consumer behind `follow()`; the client recreates it on gaps and reconnects. */
export function followerConsumerOptions(startSequence: number): Partial<OrderedConsumerOptions> {
  return {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: startSequence,
    // OrderedConsumerOptions takes milliseconds here (the client converts to nanos).
    inactive_threshold: followerInactiveThresholdMs,
  };
}
