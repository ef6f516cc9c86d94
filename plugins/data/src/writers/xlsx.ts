import { PluginError } from '@conveyor/contracts';
import ExcelJS from 'exceljs';
import { xlsxMaxCellText, xlsxMaxColumns, xlsxMaxRows } from '../limits.js';
import { scalarCell, type Row } from '../table.js';
import type { TableWriter } from './table-writer.js';

export const xlsxSheetName = 'Sheet1';

/**
 * One worksheet, streamed: a bold header row (unless the columns were made up), then a row per
 * record. Numbers and booleans keep their cell types; text stays text (a date-looking string is
 * not turned into a date); null and empty text leave the cell empty.
 */
export function xlsxWriter(): TableWriter {
  let workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  let sheet: ExcelJS.Worksheet;
  let columns: string[] = [];
  let rowNumber = 0;
  let recordNumber = 0;
  const addRow = (values: unknown[]) => {
    rowNumber++;
    if (rowNumber > xlsxMaxRows) throw new PluginError('limit_exceeded', `an xlsx sheet holds at most ${xlsxMaxRows} rows, and this table has more`);
    const row = sheet.addRow(values);
    return row;
  };
  return {
    needsColumns: true,
    async begin(sink, names, namedColumns) {
      columns = names ?? [];
      if (columns.length > xlsxMaxColumns) throw new PluginError('limit_exceeded', `an xlsx sheet holds at most ${xlsxMaxColumns} columns, and this table has ${columns.length}`);
      workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink.stream, useStyles: true, useSharedStrings: false });
      sheet = workbook.addWorksheet(xlsxSheetName);
      if (namedColumns && columns.length > 0) {
        const header = addRow(columns.map((column) => checkedText(column, 'a column name')));
        header.font = { bold: true };
        header.commit();
      }
    },
    async write(row: Row) {
      recordNumber++;
      const values = columns.map((column) => {
        const value = scalarCell(row[column], recordNumber, column);
        if (typeof value === 'string') return value === '' ? null : checkedText(value, `record ${recordNumber}, field "${column}"`);
        return value;
      });
      addRow(values).commit();
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

function checkedText(text: string, where: string): string {
  if (text.length > xlsxMaxCellText) throw new PluginError('limit_exceeded', `${where} is ${text.length} characters long; an xlsx cell holds at most ${xlsxMaxCellText}`);
  return text;
}
