import type { ConveyorConfig } from '@conveyor/core';
import { openDatabase } from '../composition/infrastructure.js';

/** Brings the schema up to date (also done at every start). */
export async function runMigrate(config: ConveyorConfig): Promise<number> {
  const database = await openDatabase(config);
  await database.close();
  process.stdout.write('database schema is up to date\n');
  return 0;
}
