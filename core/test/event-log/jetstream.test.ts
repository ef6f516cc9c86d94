import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { streamKinds } from '../../src/event-log/port.js';
import { JetStreamEventLog } from '../../src/event-log/jetstream/jetstream-event-log.js';
import { Namespace } from '../../src/event-log/jetstream/namespace.js';
import { runEventLogContract } from './contract.js';

const natsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

// Each log gets its own namespace — its own streams — deleted afterwards, so runs sharing the
// server never see each other's messages.
runEventLogContract('NATS JetStream', async () => {
  const namespace = `test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  return {
    log: new JetStreamEventLog({ url: natsUrl, namespace }),
    cleanup: () => deleteNamespaceStreams(namespace),
  };
});

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
