import type { Sink } from '../output-file.js';
import type { Row } from '../table.js';

/** Writes rows, one at a time, as one format. */
export interface TableWriter {
  /** The target writes a header or a fixed set of cells, so it needs every column before the first row. */
  readonly needsColumns: boolean;
  /** `columns` is given when `needsColumns`; `namedColumns` false means no header row. */
  begin(sink: Sink, columns: string[] | undefined, namedColumns: boolean): Promise<void>;
  write(row: Row): Promise<void>;
  end(): Promise<void>;
}
