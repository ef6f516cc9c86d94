import { mkdir } from 'node:fs/promises';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import { inThreadEngine, type PGliteEngine } from './pglite-engine.js';
import { initialisePGliteDataDir } from './pglite-first-start.js';
import { openPGliteThread } from './pglite-thread.js';
import type { Database } from './schema.js';

export type DatabaseConfig =
  | {
      kind: 'postgres';
      url: string;
      /** Work inside this schema (created when missing) instead of `public`: tests use a fresh one each. */
      schema?: string;
    }
  | {
      kind: 'pglite';
      /** Data directory; undefined keeps the database in memory. */
      dir?: string;
    };

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseConfig['kind'];
  /** Closes the pool or the PGlite instance; the handle is unusable afterwards. */
  close(): Promise<void>;
}

const INT8_OID = 20;

/**
 * Opens the database: PostgreSQL through a `pg` pool, or PGlite in-process. Either way bigint
 * (int8) columns come back as JS numbers: sequences and byte sizes stay far below 2^53.
 *
 * @example
 * const { db, close } = await createDatabase({ kind: 'pglite' }); // in memory
 * await migrateToLatest(db);
 */
export async function createDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  return config.kind === 'postgres' ? connectPostgres(config.url, config.schema) : openPGlite(config.dir);
}

async function connectPostgres(url: string, schema: string | undefined): Promise<DatabaseHandle> {
  // Type parsers on this pool only, so that another pg user in the process keeps its own.
  const typeParsers = new pg.TypeOverrides();
  typeParsers.setTypeParser(INT8_OID, Number);
  const pool = new pg.Pool({
    connectionString: url,
    types: typeParsers,
    // Set at connection start-up, so every pooled connection works in the schema from its first query.
    ...(schema ? { options: `-c search_path=${quoteSchema(schema)}` } : {}),
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener Node
  // exits. The pool already discards that client and the next query reports the outage.
  pool.on('error', () => {});
  try {
    if (schema) await pool.query(`create schema if not exists ${quoteSchema(schema)}`);
    else await pool.query('select 1');
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/**
 * PGlite on disk runs in a thread of its own, off the thread that serves requests; in memory
 * (tests, throw-away databases) it stays in this thread, where it starts faster.
 */
async function openPGlite(dir: string | undefined): Promise<DatabaseHandle> {
  let pglite: PGliteEngine;
  if (dir) {
    await mkdir(dir, { recursive: true });
    await initialisePGliteDataDir(dir);
    pglite = await openPGliteThread(dir);
  } else {
    pglite = inThreadEngine(await PGlite.create({ parsers: { [pgliteTypes.INT8]: Number } }));
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

/** Schema names come from configuration and tests; allow plain identifiers only, then quote. */
function quoteSchema(schema: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return `"${schema}"`;
}
