import { pino } from 'pino';
import { CommandHandler } from '../../src/aggregates/command-handler.js';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';
import { migrateToLatest } from '../../src/database/migrate.js';
import { SqlEventLog } from '../../src/event-log/sql/sql-event-log.js';
import { ReadModelProjector } from '../../src/projections/read-model-projector.js';
import type { Clock } from '../../src/system/clock.js';

export interface ProjectionFixture {
  database: DatabaseHandle;
  log: SqlEventLog;
  commands: CommandHandler;
  projector: ReadModelProjector;
  close(): Promise<void>;
}

/** A fresh in-memory PGlite with the SQL event log, a command handler writing to it, and a projector reading it. */
export async function projectionFixture(clock: Clock): Promise<ProjectionFixture> {
  const database = await createDatabase({ kind: 'pglite' });
  await migrateToLatest(database.db);
  const log = new SqlEventLog(database.db);
  await log.initialize();
  return {
    database,
    log,
    commands: new CommandHandler(log, clock),
    projector: new ReadModelProjector(database.db, log, pino({ level: 'silent' })),
    close: async () => {
      await log.close();
      await database.close();
    },
  };
}
