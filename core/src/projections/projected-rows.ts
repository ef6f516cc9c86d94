import type { ConversionJobRow } from './conversion-job-row.js';
import type { FileRow } from './file-row.js';
import type { ResourceRow } from './resource-row.js';

/** Rows by id; `undefined` for a row known not to exist. */
export type KnownRows<Row> = Map<string, Row | undefined>;

export interface ReadModelRows {
  jobs: KnownRows<ConversionJobRow>;
  files: KnownRows<FileRow>;
  resources: KnownRows<ResourceRow>;
}

/**
 * Past this many rows the cache starts over: a miss costs one read, so nothing smarter is
 * needed. The batches in flight touch a few rows per job (the job, its source, its output);
 * a file's row carries its metadata report, which can be large, so the bound stays small.
 */
const maxRows = 1_000;

/**
 * The read-model rows as this projector last read or wrote them, and the checkpoint they
 * belong to. Rows are a function of the checkpoint alone (only projectors write them, each
 * event once), so while the checkpoint in the database still stands where these rows put it,
 * they are what the database holds: the next batch can be evolved from them without reading.
 */
export class ProjectedRows {
  #checkpoint: number | undefined;
  #rows: ReadModelRows = emptyRows();

  /** The checkpoint the rows belong to; undefined when nothing is known. */
  get checkpoint(): number | undefined {
    return this.#checkpoint;
  }

  get rows(): Readonly<ReadModelRows> {
    return this.#rows;
  }

  /** The rows now stand at `checkpoint`, with `changed` among them. */
  advance(checkpoint: number, changed: { readonly [Table in keyof ReadModelRows]: ReadonlyMap<string, unknown> }): void {
    if (this.size() > maxRows) this.#rows = emptyRows();
    for (const table of ['jobs', 'files', 'resources'] as const) {
      const rows = this.#rows[table] as KnownRows<unknown>;
      for (const [id, row] of changed[table]) rows.set(id, row);
    }
    this.#checkpoint = checkpoint;
  }

  /** Another writer moved the checkpoint (or the rows were reset): nothing known is trusted. */
  forget(): void {
    this.#checkpoint = undefined;
    this.#rows = emptyRows();
  }

  private size(): number {
    return this.#rows.jobs.size + this.#rows.files.size + this.#rows.resources.size;
  }
}

export function emptyRows(): ReadModelRows {
  return { jobs: new Map(), files: new Map(), resources: new Map() };
}
