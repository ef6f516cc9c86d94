import { jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** One NATS connection and the two JetStream views of it the adapter needs. */
export interface JetStreamConnection {
  nats: NatsConnection;
  /** Publishing and consuming. */
  client: JetStreamClient;
  /** Streams and consumers: creating, updating, deleting. */
  manager: JetStreamManager;
}

export interface ConnectionSettings {
  url: string;
  /** Shown by the server (`nats server report connections`), so operators can tell processes apart. */
  name: string;
}

/**
 * Connects and checks that JetStream is enabled. The first connection fails fast, so a wrong
 * URL is reported at start; once connected, the client reconnects forever, because a worker
 * that gives up on a restarting server would have to be restarted by hand.
 */
export async function openJetStreamConnection(settings: ConnectionSettings): Promise<JetStreamConnection> {
  const nats = await connect({
    servers: settings.url,
    name: settings.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    // Otherwise every request (each append is one) builds an Error up front in case it fails,
    // to show where it was made: a stack capture per message, about 4 % of the api process's
    // busy time under bench/pipeline's throughput load. A failed request still says what failed.
    noAsyncTraces: true,
  });
  try {
    const manager = await jetstreamManager(nats);
    return { nats, client: manager.jetstream(), manager };
  } catch (error) {
    await nats.close();
    throw error;
  }
}
