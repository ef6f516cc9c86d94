import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import { PGliteStatements } from './pglite-statements.js';

/** What the PGlite dialect needs of a database: run one statement, and close. */
export interface PGliteEngine {
  query<Row>(sql: string, parameters: readonly unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
  /** Closes the database; once it resolves, everything written is on disk. Safe to call twice. */
  close(): Promise<void>;
}

/** A PGlite instance in this thread as an engine. */
export function inThreadEngine(pglite: PGlite): PGliteEngine {
  const statements = new PGliteStatements(pglite, { protocol, parse });
  return {
    query: (sql, parameters) => statements.query(sql, parameters),
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
}
