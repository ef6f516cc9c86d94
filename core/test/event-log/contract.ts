import { describe } from 'vitest';
import { describeConsuming } from './contract-consuming.js';
import { useContractFixture, type CreateLog } from './contract-fixture.js';
import { describeReading } from './contract-reading.js';
import { describeWriting } from './contract-writing.js';

/**
 * The one contract every event-log adapter passes (SQL on PostgreSQL, SQL on PGlite, JetStream).
 * It speaks only through the `EventLog` port, so it holds no adapter detail. Each test gets a
 * fresh log from `createLog` (and `cleanup` runs after it); still, no test assumes that a stream
 * starts empty or that sequences are contiguous — only that they increase.
 *
 * @example
 * runEventLogContract('SQL on PGlite', async () => {
 *   const database = await createDatabase({ kind: 'pglite' });
 *   await migrateToLatest(database.db);
 *   return { log: new SqlEventLog(database.db), cleanup: database.close };
 * });
 */
export function runEventLogContract(name: string, createLog: CreateLog): void {
  describe(`event log contract: ${name}`, () => {
    const fixture = useContractFixture(createLog);
    describeWriting(fixture);
    describeReading(fixture);
    describeConsuming(fixture);
  });
}
