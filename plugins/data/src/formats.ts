import type { Format } from '@conveyor/contracts';

export const dataFormatIds = ['csv', 'tsv', 'json', 'ndjson', 'xlsx', 'yaml', 'xml', 'toml'] as const;
export type DataFormatId = (typeof dataFormatIds)[number];

/**
 * Formats read as a stream of rows and able to hold only a table: a tree must be an array of
 * flat records to become one of them. JSON is not among them even
 * though an array of objects is a table: a JSON file is parsed whole, as a tree.
 */
export const rowFormatIds = ['csv', 'tsv', 'ndjson', 'xlsx'] as const;
export type RowFormatId = (typeof rowFormatIds)[number];

/** Formats parsed whole into a JSON-compatible tree. */
export const treeFormatIds = ['json', 'yaml', 'xml', 'toml'] as const;
export type TreeFormatId = (typeof treeFormatIds)[number];

export const dataFormats: Format[] = [
  { id: 'csv', name: 'CSV', mime: 'text/csv', extensions: ['csv'], category: 'data' },
  { id: 'tsv', name: 'TSV', mime: 'text/tab-separated-values', extensions: ['tsv'], category: 'data' },
  { id: 'json', name: 'JSON', mime: 'application/json', extensions: ['json'], category: 'data' },
  { id: 'ndjson', name: 'NDJSON', mime: 'application/x-ndjson', extensions: ['ndjson', 'jsonl'], category: 'data' },
  { id: 'xlsx', name: 'Excel workbook', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], category: 'spreadsheet' },
  { id: 'yaml', name: 'YAML', mime: 'application/yaml', extensions: ['yaml', 'yml'], category: 'data' },
  { id: 'xml', name: 'XML', mime: 'application/xml', extensions: ['xml'], category: 'data' },
  { id: 'toml', name: 'TOML', mime: 'application/toml', extensions: ['toml'], category: 'data' },
];

export function isDataFormatId(value: string): value is DataFormatId {
  return (dataFormatIds as readonly string[]).includes(value);
}

export function isRowFormat(format: DataFormatId): format is RowFormatId {
  return (rowFormatIds as readonly string[]).includes(format);
}

export function isTreeFormat(format: DataFormatId): format is TreeFormatId {
  return (treeFormatIds as readonly string[]).includes(format);
}

export function formatName(format: DataFormatId): string {
  return dataFormats.find((candidate) => candidate.id === format)?.name ?? format;
}
