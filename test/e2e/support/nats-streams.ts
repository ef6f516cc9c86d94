import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** Deletes every stream of one namespace, so that a test run leaves the server as it found it. */
export async function deleteNamespaceStreams(natsUrl: string, namespace: string): Promise<void> {
  const connection = await connect({ servers: natsUrl });
  try {
    const manager = await jetstreamManager(connection);
    for (const kind of ['COMMANDS', 'EVENTS', 'TASKS']) {
      await manager.streams.delete(`${namespace.toUpperCase()}_${kind}`).catch(() => false);
    }
  } finally {
    await connection.close();
  }
}
