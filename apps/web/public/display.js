// How the page shows a record's values: sizes, times and percentages a person reads at a glance.

const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** @param {number} bytes */
export function formatSize(bytes) {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} ${value === 1 ? 'byte' : 'bytes'}` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * A record's value as text, by the field's type in `/api/_meta` (and its name, for sizes and progress).
 * @param {{ name: string; type: string }} field
 * @param {unknown} value
 */
export function formatValue(field, value) {
  if (value === null || value === undefined) return '';
  if (field.type === 'datetime' && typeof value === 'string') return new Date(value).toLocaleString();
  if (field.name === 'size' && typeof value === 'number') return formatSize(value);
  if (field.name === 'progress_pct' && typeof value === 'number') return `${Math.round(value)} %`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
