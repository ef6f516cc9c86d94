import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { streamKinds, type MessageFeed, type StoredMessage } from '../../src/event-log/port.js';
import { JetStreamEventLog } from '../../src/event-log/jetstream/jetstream-event-log.js';
import { Namespace } from '../../src/event-log/jetstream/namespace.js';
import { runEventLogContract } from './contract.js';
import { conversionSubject, unique, useContractFixture, waitFor, type CreateLog } from './contract-fixture.js';

const natsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

// Each log gets its own namespace — its own streams — deleted afterwards, so runs sharing the
// server never see each other's messages.
const createLog: CreateLog = async () => {
  const namespace = `test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  return {
    log: new JetStreamEventLog({ url: natsUrl, namespace }),
    cleanup: () => deleteNamespaceStreams(namespace),
  };
};

runEventLogContract('NATS JetStream', createLog);

// Beyond the contract: the JetStream log says where a delivered message's subject stood before it.
describe('JetStream event log: previous subject sequence', () => {
  const { log, consume, follow } = useContractFixture(createLog);

  /** Two events on one subject and one on another, interleaved, each appended with its expectation. */
  async function appendInterleaved(): Promise<{ subject: string; sequences: number[]; otherSequence: number }> {
    const subject = conversionSubject();
    const first = await log.append('events', { subject, messageId: unique(), payload: 1, expectedLastSubjectSequence: 0 });
    const other = await log.append('events', { subject: conversionSubject(), messageId: unique(), payload: 'other', expectedLastSubjectSequence: 0 });
    const second = await log.append('events', { subject, messageId: unique(), payload: 2, expectedLastSubjectSequence: first.sequence });
    return { subject, sequences: [first.sequence, second.sequence], otherSequence: other.sequence };
  }

  it('gives each delivered event the sequence its subject stood at when it was appended', async () => {
    const { subject, sequences } = await appendInterleaved();
    const unchecked = await log.append('events', { subject, messageId: unique(), payload: 3 });
    const delivered: StoredMessage[] = [];

    await consume('events', { consumer: `c${unique()}`, subjectFilter: subject, ackWaitMs: 5_000, maxDeliver: 3, concurrency: 1 }, async ({ message }) => {
      delivered.push(message);
    });
    await waitFor(() => delivered.length >= 3, 'three deliveries');

    expect(delivered.map((message) => [message.sequence, message.previousSubjectSequence])).toEqual([
      [sequences[0], 0],
      [sequences[1], sequences[0]],
      // Appended without an expectation: the log cannot say.
      [unchecked.sequence, undefined],
    ]);
  });

  it('gives it to a follower too', async () => {
    const { sequences, otherSequence } = await appendInterleaved();
    const received = await takeMessages(follow('events', { afterSequence: sequences[0]! - 1 }), 3);

    expect(received.map((message) => [message.sequence, message.previousSubjectSequence])).toEqual([
      [sequences[0], 0],
      [otherSequence, 0],
      [sequences[1], sequences[0]],
    ]);
  });
});

// Beyond the contract: the streams carry as many replicas as the deployment asks for.
describe('JetStream event log: stream replicas', () => {
  async function streamReplicas(namespace: string): Promise<number[]> {
    const connection = await connect({ servers: natsUrl, name: 'conveyor-test-replicas' });
    try {
      const manager = await jetstreamManager(connection);
      const names = streamKinds.map((kind) => new Namespace(namespace).streamName(kind));
      return await Promise.all(names.map(async (name) => (await manager.streams.info(name)).config.num_replicas));
    } finally {
      await connection.close();
    }
  }

  const freshNamespace = () => `test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

  it('creates every stream with one replica by default', async () => {
    const namespace = freshNamespace();
    const log = new JetStreamEventLog({ url: natsUrl, namespace });
    try {
      await log.initialize();
      expect(await streamReplicas(namespace)).toEqual([1, 1, 1]);
    } finally {
      await log.close();
      await deleteNamespaceStreams(namespace);
    }
  });

  it('asks the server for the configured replicas: a single server refuses three, and start-up fails', async () => {
    const namespace = freshNamespace();
    const log = new JetStreamEventLog({ url: natsUrl, namespace, streamReplicas: 3 });
    try {
      await expect(log.initialize()).rejects.toThrow(/replicas/i);
    } finally {
      await log.close();
      await deleteNamespaceStreams(namespace);
    }
  });
});

async function takeMessages(feed: MessageFeed, count: number): Promise<StoredMessage[]> {
  const received: StoredMessage[] = [];
  for await (const batch of feed) {
    received.push(...batch);
    if (received.length >= count) break;
  }
  return received.slice(0, count);
}

async function deleteNamespaceStreams(name: string): Promise<void> {
  const namespace = new Namespace(name);
  const connection = await connect({ servers: natsUrl, name: 'conveyor-test-cleanup' });
  try {
    const manager = await jetstreamManager(connection);
    for (const kind of streamKinds) {
      await manager.streams.delete(namespace.streamName(kind)).catch(() => {}); // never created: fine
    }
  } finally {
    await connection.close();
  }
}
