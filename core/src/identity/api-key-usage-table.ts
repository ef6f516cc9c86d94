import type { ColumnType } from 'kysely';

/** When an API key last authenticated a request, to within the recorder's throttle. */
export interface ApiKeyUsageTable {
  key_id: string;
  last_used_at: ColumnType<Date, Date | string, Date | string>;
}

export interface ApiKeyUsageTables {
  api_key_usage: ApiKeyUsageTable;
}
