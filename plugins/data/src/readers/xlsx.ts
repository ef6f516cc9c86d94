import { stat } from 'node:fs/promises';
import { PluginError, type ConversionLimits } from '@conveyor/contracts';
import ExcelJS from 'exceljs';
import { settleOrCancel, throwIfCancelled } from '../cancellation.js';
import { RowBudget, refuseOversizedInput } from '../limits.js';
import type { DataOptions } from '../options.js';
import { columnNamesFromHeader, generatedColumnName, type ReadContext, type Row, type Table } from '../table.js';
import { zipUncompressedSize } from './zip-size.js';

/**
 * Reads one worksheet of an xlsx workbook as rows. The workbook is loaded whole: exceljs's
 * streaming reader spills worksheets to temporary files whenever they precede the shared
 * strings in the zip, and it cannot tell sheets apart by name before reading them. Loading
 * whole is held to limits.maxDecompressedBytes by the sizes the zip declares, checked first.
 */
export async function openXlsx(path: string, options: DataOptions, limits: ConversionLimits, read: ReadContext): Promise<Table> {
  const { size } = await stat(path);
  refuseOversizedInput(size, limits.maxDecompressedBytes, 'xlsx file');
  const expanded = await zipUncompressedSize(path, 'xlsx file');
  if (expanded > limits.maxDecompressedBytes) {
    throw new PluginError('limit_exceeded', `the xlsx file expands to ${expanded} bytes, more than the allowed ${limits.maxDecompressedBytes}`);
  }
  const workbook = new ExcelJS.Workbook();
  const loading = workbook.xlsx.readFile(path).catch((error: unknown) => {
    throw new PluginError('invalid_input', `the input is not a readable xlsx workbook: ${(error as Error).message}`);
  });
  await settleOrCancel(loading, read.signal);
  if (workbook.worksheets.length > limits.maxPages) {
    throw new PluginError('limit_exceeded', `the workbook has ${workbook.worksheets.length} sheets, more than the allowed ${limits.maxPages}`);
  }
  const sheet = chosenSheet(workbook, options.sheet);

  const rowNumbers: number[] = [];
  let width = 0;
  sheet.eachRow((row, rowNumber) => {
    rowNumbers.push(rowNumber);
    width = Math.max(width, row.cellCount);
  });
  const cellsOf = (rowNumber: number): unknown[] => {
    const row = sheet.getRow(rowNumber);
    return Array.from({ length: width }, (_, index) => cellValue(row.getCell(index + 1).value));
  };

  let columns: string[];
  let firstData = 0;
  if (options.header && rowNumbers.length > 0) {
    columns = columnNamesFromHeader(cellsOf(rowNumbers[0]!));
    firstData = 1;
  } else columns = Array.from({ length: width }, (_, index) => generatedColumnName(index));

  return {
    namedColumns: options.header,
    columns: async () => columns,
    async *rows(): AsyncGenerator<Row> {
      const budget = new RowBudget();
      for (let index = firstData; index < rowNumbers.length; index++) {
        throwIfCancelled(read.signal);
        const cells = cellsOf(rowNumbers[index]!);
        // A row exceljs keeps only for its formatting holds no data.
        if (cells.every((cell) => cell === null)) continue;
        budget.take(cells.length);
        yield Object.fromEntries(columns.map((column, position) => [column, cells[position] ?? null]));
        read.onProgress(index / rowNumbers.length);
      }
    },
  };
}

function chosenSheet(workbook: ExcelJS.Workbook, wanted: string | number | undefined): ExcelJS.Worksheet {
  const sheets = workbook.worksheets;
  if (sheets.length === 0) throw new PluginError('invalid_input', 'the workbook has no worksheets');
  if (wanted === undefined) return sheets[0]!;
  const byName = typeof wanted === 'string' ? sheets.find((sheet) => sheet.name === wanted) : undefined;
  if (byName) return byName;
  const position = typeof wanted === 'number' ? wanted : /^\d+$/.test(wanted) ? Number(wanted) : undefined;
  const byPosition = position === undefined ? undefined : sheets[position - 1];
  if (byPosition) return byPosition;
  const names = sheets.map((sheet) => JSON.stringify(sheet.name)).join(', ');
  throw new PluginError('invalid_parameter', `the workbook has no sheet ${JSON.stringify(wanted)}; its sheets are ${names} (or give a position from 1 to ${sheets.length})`);
}

/**
 * A cell as a JSON value: numbers, text and booleans as they are; dates as ISO 8601 text (a
 * date alone as YYYY-MM-DD; Excel stores no time zone, so none is written); formulas as
 * their last computed result; rich text and hyperlinks as their text; errors as "#DIV/0!" etc.
 */
export function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return isoDate(value);
  if ('formula' in value || 'sharedFormula' in value) return cellValue(value.result ?? null);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return cellValue(value.text as ExcelJS.CellValue);
  if ('error' in value) return value.error;
  return null;
}

function isoDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}
