import type { EventLogTables } from '../event-log/sql/tables.js';
import type { ApiKeyUsageTables } from '../identity/api-key-usage-table.js';
import type { RateLimitTables } from '../rate-limit/tables.js';
import type { ReadModelTables } from './read-model-tables.js';

/** The whole database as kysely sees it: the SQL event log's tables, the read models, the rate limit's counts and API key usage. */
export interface Database extends EventLogTables, ReadModelTables, RateLimitTables, ApiKeyUsageTables {}
