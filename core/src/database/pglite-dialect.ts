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
 * PGlite has exactly one connection. kysely hands a connection to a whole transaction, so the
 * driver lends that one connection to one borrower at a time: while a transaction holds it,
 * other queries (and other transactions) queue, and statements of different transactions never
 * interleave. Consequence for callers: inside `db.transaction().execute(trx => …)` use `trx`
 * only — a query through `db` there waits for the transaction that waits for it.
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
  readonly #lease = new FifoMutex();
  #pglite: PGliteEngine | undefined;
  #connection: PGliteConnection | undefined;
  #vacuums: VacuumSchedule | undefined;

  constructor(private readonly config: PGliteDialectConfig) {}

  async init(): Promise<void> {
    const { pglite } = this.config;
    const engine = (this.#pglite = typeof pglite === 'function' ? await pglite() : pglite);
    const vacuums = (this.#vacuums = new VacuumSchedule(() => this.#vacuum(engine), this.config.vacuumIntervalMs ?? defaultVacuumIntervalMs));
    this.#connection = new PGliteConnection(engine, () => vacuums.noteStatement());
  }

  // Under the lease, so that it runs between transactions: VACUUM cannot run inside one.
  // destroy() stops the schedule before it closes the engine, so no run finds it closed.
  async #vacuum(engine: PGliteEngine): Promise<void> {
    await this.#lease.lock();
    try {
      await engine.query('vacuum', []);
    } finally {
      this.#lease.unlock();
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lease.lock();
    if (!this.#connection) {
      this.#lease.unlock();
      throw new Error('PGlite driver is not initialised or has been destroyed');
    }
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    const access = settings.accessMode ? ` ${settings.accessMode}` : '';
    await connection.executeQuery(CompiledQuery.raw(`start transaction${isolation}${access}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
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

  async releaseConnection(): Promise<void> {
    this.#lease.unlock();
  }

  async destroy(): Promise<void> {
    await this.#vacuums?.stop();
    // Wait for the current borrower so that close() does not cut a transaction in half.
    await this.#lease.lock();
    const pglite = this.#pglite;
    this.#connection = undefined;
    this.#pglite = undefined;
    this.#lease.unlock();
    await pglite?.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(
    private readonly pglite: PGliteEngine,
    private readonly noteStatement: () => void,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    this.noteStatement();
    const result = await this.pglite.query<R>(compiledQuery.sql, compiledQuery.parameters);
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
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

/** A lock granted in request order, so that a busy consumer loop cannot starve an append. */
class FifoMutex {
  #locked = false;
  readonly #waiting: Array<() => void> = [];

  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  unlock(): void {
    const next = this.#waiting.shift();
    if (next) next(); // ownership passes straight to the next waiter
    else this.#locked = false;
  }
}
