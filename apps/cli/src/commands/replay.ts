import { createLogger, ReadModelProjector, type ConveyorConfig } from '@conveyor/core';
import { openDatabase, openEventLog } from '../composition/infrastructure.js';

/**
 * Rebuilds the read models from the event log: forgets every row and the checkpoint, then
 * applies the whole events stream again. Run it with the api processes stopped.
 */
export async function runReplay(config: ConveyorConfig): Promise<number> {
  const database = await openDatabase(config);
  const log = await openEventLog(config, database);
  try {
    const projector = new ReadModelProjector(database.db, log, createLogger(config.logLevel));
    await projector.reset();
    const applied = await projector.catchUp();
    process.stdout.write(`replayed ${applied} events into the read models\n`);
    return 0;
  } finally {
    await log.close();
    await database.close();
  }
}
