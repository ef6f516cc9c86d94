import type { EventLogTables } from '../event-log/sql/tables.js';
import type { ReadModelTables } from './read-model-tables.js';

/** The whole database as kysely sees it: the SQL event log's tables and the read models. */
export interface Database extends EventLogTables, ReadModelTables {}
