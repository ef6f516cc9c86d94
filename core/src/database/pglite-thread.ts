import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PGliteEngine } from './pglite-engine.js';
import { PGliteStatements } from './pglite-statements.js';

/**
 * The thread's program. Eval'd rather than loaded from a file, so that it runs the same from
 * the built package and from source under the test runner; PGliteStatements travels in it as
 * source. It opens PGlite on `dataDir` and answers `{ id, sql, parameters }` with
 * `{ id, rows, affectedRows }` or `{ id, error }`.
 */
const threadSource = `
const { parentPort, workerData } = require('node:worker_threads');
const PGliteStatements = ${PGliteStatements.toString()};
const errorFields = ['name', 'message', 'code', 'severity', 'detail', 'hint', 'position', 'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'];
const describe = (error) => Object.fromEntries(errorFields.filter((field) => typeof error?.[field] === 'string').map((field) => [field, error[field]]));
(async () => {
  const { PGlite, types, protocol, parse } = await import(workerData.pgliteUrl);
  const pglite = await PGlite.create({ dataDir: workerData.dataDir, parsers: { [types.INT8]: Number } });
  const statements = new PGliteStatements(pglite, { protocol, parse });
  parentPort.on('message', async (request) => {
    if (request.close) {
      await pglite.close().catch(() => {});
      parentPort.postMessage({ id: request.id, closed: true });
      parentPort.close();
      return;
    }
    try {
      const result = await statements.query(request.sql, request.parameters);
      parentPort.postMessage({ id: request.id, rows: result.rows, affectedRows: result.affectedRows });
    } catch (error) {
      parentPort.postMessage({ id: request.id, error: describe(error) });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((error) => parentPort.postMessage({ failed: describe(error) }));
`;

interface Reply {
  id?: number;
  ready?: true;
  failed?: Record<string, string>;
  closed?: true;
  rows?: unknown[];
  affectedRows?: number;
  error?: Record<string, string>;
}

/** An Error carrying the PostgreSQL fields (code, constraint, …) the thread sent for it. */
function rebuildError(fields: Record<string, string>): Error {
  return Object.assign(new Error(fields.message ?? 'PGlite failed'), fields);
}

/**
 * PGlite on `dataDir`, running in a thread of its own. PGlite executes every statement on the
 * thread that owns it, synchronously; in the all-in-one process that thread would otherwise be
 * the one serving HTTP and running every consumer, so the database's work would stall all of
 * them. Here it runs beside them, on another core, at the cost of a message hop per statement.
 */
export async function openPGliteThread(dataDir: string): Promise<PGliteEngine> {
  const pgliteUrl = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const worker = new Worker(threadSource, { eval: true, workerData: { dataDir, pgliteUrl } });
  const pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
  let nextId = 0;
  let ended: Error | undefined;

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (reply: Reply) => {
      if (reply.ready) return resolve();
      if (reply.failed) return reject(rebuildError(reply.failed));
      const waiter = pending.get(reply.id!);
      pending.delete(reply.id!);
      waiter?.resolve(reply);
    });
    const end = (error: Error) => {
      ended ??= error;
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    };
    worker.on('error', end);
    worker.on('exit', (code) => end(new Error(`the PGlite thread exited (code ${code})`)));
  });
  await ready;

  const send = (message: object): Promise<Reply> => {
    if (ended) return Promise.reject(ended);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  };

  let closing: Promise<void> | undefined;
  return {
    async query<Row>(sql: string, parameters: readonly unknown[]) {
      const reply = await send({ sql, parameters: [...parameters] });
      if (reply.error) throw rebuildError(reply.error);
      return { rows: reply.rows as Row[], ...(reply.affectedRows === undefined ? {} : { affectedRows: reply.affectedRows }) };
    },
    close() {
      closing ??= (async () => {
        if (!ended) await send({ close: true }).catch(() => undefined);
        await worker.terminate();
      })();
      return closing;
    },
  };
}
