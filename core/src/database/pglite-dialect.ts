import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { ConnectionGate } from './pglite-connection-gate.js';
import type { PGliteEngine } from './pglite-engine.js';
import { defaultVacuumIntervalMs, VacuumSchedule } from './pglite-vacuum.js';

export interface PGliteDialectConfig {
  /** An open PGlite (in this thread or its own: see pglite-engine.ts), or a function that opens one when kysely first needs it. */
  pglite: PGliteEngine | (() => Promise<PGliteEngine>);
  /** How often the database is vacuumed while in use (PGlite has no autovacuum: see pglite-vacuum.ts). */
  vacuumIntervalMs?: number;
}

/**
 * A kysely dialect for PGlite (PostgreSQL compiled to WebAssembly, in-process).
 *
 * PGlite has exactly one connection. Statements outside a transaction are sent over it at once
 * and run in the order sent (see ConnectionGate); a transaction has it to itself from BEGIN to
 * COMMIT or ROLLBACK, while other queries and transactions wait their turn. Consequence for
 * callers: inside `db.transaction().execute(trx => …)` use `trx` only — a query through `db`
 * there waits for the transaction that waits for it. And statements that must not interleave
 * with others' belong in a transaction: `db.connection()` alone holds nothing exclusively.
 *
 * @example
 * const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: inThreadEngine(await PGlite.create()) }) });
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly config: PGliteDialectConfig) {}

  createDriver(): Driver {
    return new PGliteDriver(this.config);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PGliteDriver implements Driver {
  readonly #gate = new ConnectionGate();
  #pglite: PGliteEngine | undefined;
  #vacuums: VacuumSchedule | undefined;
  /** The WAL insert position read before the last vacuum. */
  #vacuumedThrough: string | undefined;
  #destroyed = false;

  constructor(private readonly config: PGliteDialectConfig) {}

  async init(): Promise<void> {
    const { pglite } = this.config;
    const engine = (this.#pglite = typeof pglite === 'function' ? await pglite() : pglite);
    this.#vacuums = new VacuumSchedule(() => this.#vacuum(engine), this.config.vacuumIntervalMs ?? defaultVacuumIntervalMs);
  }

  /**
   * A statement of its own, so that it runs between transactions: VACUUM cannot run inside one.
   * Skipped while the WAL insert position stands where it stood before the last run: nothing
   * was written since, and an idle server's reads (its consumers' claims) would otherwise have
   * an unchanged database vacuumed every interval. The position is read before the run, so a
   * write during it is never taken as vacuumed (the run's own WAL costs one more run, once).
   * destroy() stops the schedule before it closes the engine, so no run finds it closed.
   */
  async #vacuum(engine: PGliteEngine): Promise<void> {
    const { rows } = await this.#gate.run(this, () => engine.query<{ position: string }>('select pg_current_wal_insert_lsn()::text as position', []));
    const position = rows[0]?.position;
    if (position !== undefined && position === this.#vacuumedThrough) return;
    await this.#gate.run(this, () => engine.query('vacuum', []));
    this.#vacuumedThrough = position;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#pglite || this.#destroyed) throw new Error('PGlite driver is not initialised or has been destroyed');
    const vacuums = this.#vacuums!;
    return new PGliteConnection(this.#pglite, this.#gate, () => vacuums.noteStatement());
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    const access = settings.accessMode ? ` ${settings.accessMode}` : '';
    await (connection as PGliteConnection).begin(`start transaction${isolation}${access}`);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end('rollback');
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdentifier(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdentifier(name)}`));
  }

  // A transaction left open would hold the connection for good: roll it back.
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end('rollback');
  }

  async destroy(): Promise<void> {
    await this.#vacuums?.stop();
    this.#destroyed = true;
    // Let what was sent or is waiting finish, so that close() does not cut a transaction in half.
    await this.#gate.idle();
    const pglite = this.#pglite;
    this.#pglite = undefined;
    await pglite?.close();
  }
}

/** One borrower of PGlite's connection: a single query, or one transaction from BEGIN to its end. */
class PGliteConnection implements DatabaseConnection {
  constructor(
    private readonly pglite: PGliteEngine,
    private readonly gate: ConnectionGate,
    private readonly noteStatement: () => void,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    this.noteStatement();
    const result = await this.gate.run(this, () => this.pglite.query<R>(compiledQuery.sql, compiledQuery.parameters));
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
  }

  async begin(statement: string): Promise<void> {
    this.noteStatement();
    try {
      await this.gate.begin(this, () => this.pglite.query(statement, []));
    } catch (error) {
      this.gate.end(this); // no transaction was opened
      throw error;
    }
  }

  /**
   * Ends this borrower's transaction, if it still has one. A COMMIT that fails ends the
   * transaction too (PostgreSQL rolls it back), so the connection is given up either way, and a
   * ROLLBACK that follows it is not sent: by then it would land in someone else's transaction.
   */
  async end(statement: 'commit' | 'rollback'): Promise<void> {
    if (!this.gate.owns(this)) return;
    this.noteStatement();
    try {
      await this.gate.run(this, () => this.pglite.query(statement, []));
    } finally {
      this.gate.end(this);
    }
  }

  // PGlite has no cursors over its single connection: run the query, hand the rows out in chunks.
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let start = 0; start < rows.length; start += chunkSize) {
      yield { rows: rows.slice(start, start + chunkSize) };
    }
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
