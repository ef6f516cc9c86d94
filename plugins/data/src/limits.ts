import { PluginError } from '@conveyor/contracts';

/**
 * Ceilings on what one conversion may read, whatever the byte limits: a CSV of empty fields is
 * small on disk yet many cells, and every cell costs memory in the trees and workbooks built.
 */
export const maxRows = 5_000_000;
export const maxCells = 50_000_000;

/** Excel's own sheet limits: a table beyond them cannot be written as xlsx. */
export const xlsxMaxRows = 1_048_576;
export const xlsxMaxColumns = 16_384;
export const xlsxMaxCellText = 32_767;

/** Counts rows and cells as they are read, failing with `limit_exceeded` past the ceilings. */
export class RowBudget {
  private rows = 0;
  private cells = 0;

  take(cellCount: number): void {
    this.rows += 1;
    this.cells += cellCount;
    if (this.rows > maxRows) throw new PluginError('limit_exceeded', `the input has more than ${maxRows} rows`);
    if (this.cells > maxCells) throw new PluginError('limit_exceeded', `the input has more than ${maxCells} cells`);
  }
}

/**
 * Inputs parsed whole (JSON, YAML, XML, TOML, xlsx) are held in memory several times over, so
 * their size counts against the same limit as a decompressed archive.
 */
export function refuseOversizedInput(bytes: number, limit: number, what: string): void {
  if (bytes > limit) throw new PluginError('limit_exceeded', `the ${what} is ${bytes} bytes, more than the allowed ${limit} bytes to hold in memory`);
}
