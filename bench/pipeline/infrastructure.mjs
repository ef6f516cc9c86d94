// Throw-away backends for the distributed run: a fresh PostgreSQL database and a fresh NATS
// namespace, both removed at the end.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';

/**
 * Creates `conveyor_bench_<suffix>` through `adminUrl` and returns its URL and a `drop()`.
 * @example const db = await createDatabase('postgres://postgres@127.0.0.1:5432/test', 'a1b2c3')
 */
export async function createDatabase(adminUrl, suffix) {
  const name = `conveyor_bench_${suffix}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE ends sessions a killed process may have left behind (PostgreSQL 13+).
    drop: () => withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withAdmin(adminUrl, work) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Deletes the namespace's streams: `<NAMESPACE>_COMMANDS`, `_EVENTS`, `_TASKS`, and any other
 * stream named with that prefix or bound only to the namespace's subjects. Returns the names.
 */
export async function deleteNamespaceStreams(natsUrl, namespace) {
  const connection = await connect({ servers: natsUrl, timeout: 5_000 });
  try {
    const manager = await jetstreamManager(connection, { timeout: 10_000 });
    const prefix = `${namespace.toUpperCase()}_`;
    const doomed = new Set(['COMMANDS', 'EVENTS', 'TASKS'].map((kind) => prefix + kind));
    for await (const info of manager.streams.list()) {
      const subjects = info.config.subjects ?? [];
      const ownSubjects = subjects.length > 0 && subjects.every((subject) => subject.startsWith(`${namespace}.`));
      if (info.config.name.startsWith(prefix) || ownSubjects) doomed.add(info.config.name);
    }
    const deleted = [];
    for (const name of doomed) {
      try {
        await manager.streams.delete(name);
        deleted.push(name);
      } catch (error) {
        if (!/not found/i.test(String(error?.message))) throw error;
      }
    }
    return deleted;
  } finally {
    await connection.close();
  }
}
