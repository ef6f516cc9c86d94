import type { ColumnType } from 'kysely';

/** Requests counted per key (`org:<id>`, `ip:<address>`) and fixed window, shared by every api process. */
export interface RateLimitWindowsTable {
  key: string;
  /** Epoch milliseconds at which the window starts. */
  window_start: ColumnType<number, number, number>;
  count: number;
}

export interface RateLimitTables {
  rate_limit_windows: RateLimitWindowsTable;
}
