import type { PluginCapability } from '@conveyor/contracts';
import { dataFormatIds, isRowFormat, type DataFormatId } from './formats.js';
import { dataOptionsSchema } from './options.js';

/**
 * Whether a conversion can lose information: text-only targets (CSV, TSV, XML) drop types,
 * TOML has no null, and xlsx, TOML and XML inputs carry dates, formulas, comments or mixed
 * content that a plain tree keeps only as values.
 */
function isLossy(from: DataFormatId, to: DataFormatId): boolean {
  const textOnly = (format: DataFormatId) => format === 'csv' || format === 'tsv';
  if (textOnly(from) && textOnly(to)) return false;
  if (textOnly(to) || to === 'xml' || to === 'toml') return true;
  return from === 'xlsx' || from === 'toml' || from === 'xml';
}

function capability(from: DataFormatId, to: DataFormatId): PluginCapability {
  return { from, to, cost: 1, lossy: isLossy(from, to), options: dataOptionsSchema(from, to) };
}

/**
 * Every ordered pair of distinct formats. Row formats (CSV, TSV, NDJSON, xlsx) become any
 * format as an array of row objects; trees (JSON, YAML, XML, TOML) become one another freely
 * and become a row format when they hold an array of flat records (checked on conversion).
 */
export const dataCapabilities: PluginCapability[] = dataFormatIds.flatMap((from) =>
  dataFormatIds.filter((to) => to !== from).map((to) => capability(from, to)),
);

/** Whether `from → to` goes through rows (true) or converts a whole tree (false). */
export function convertsThroughRows(from: DataFormatId, to: DataFormatId): boolean {
  return isRowFormat(from) || isRowFormat(to);
}
