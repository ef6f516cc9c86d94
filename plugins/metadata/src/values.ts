/** A value a report may hold: what `metadataReportSchema` accepts. */
export type MetadataValue = string | number | boolean | null | (string | number)[];
export type Sections = Record<string, Record<string, MetadataValue>>;

/** The report is stored in an event: its size is capped, long strings and lists cut short. */
export const reportCaps = { maxKeys: 2000, maxStringLength: 1000, maxListItems: 100 } as const;

const exiftoolBinary = /^\(Binary data (\d+) bytes\b/;

function shortString(text: string): string {
  // A NUL or other control byte says nothing to a reader and may trouble a log or a database.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  return clean.length > reportCaps.maxStringLength ? `${clean.slice(0, reportCaps.maxStringLength)}… (${clean.length} characters)` : clean;
}

function binarySummary(bytes: number): string {
  return `(binary, ${bytes} bytes)`;
}

/**
 * Turns whatever a library returned into a value a report can hold: binary data is summarised
 * by its size, objects are flattened to text, and everything is kept short. `undefined` means
 * "leave the key out".
 */
export function toMetadataValue(value: unknown): MetadataValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const binary = exiftoolBinary.exec(value);
    return binary ? binarySummary(Number(binary[1])) : shortString(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (value instanceof Uint8Array) return binarySummary(value.byteLength);
  if (Array.isArray(value)) {
    const items: (string | number)[] = [];
    for (const item of value.slice(0, reportCaps.maxListItems)) {
      const converted = toMetadataValue(item);
      if (converted === undefined || converted === null) continue;
      if (typeof converted === 'string' || typeof converted === 'number') items.push(converted);
      else items.push(typeof converted === 'boolean' ? String(converted) : converted.join(', '));
    }
    return items;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.data instanceof Uint8Array) return binarySummary(record.data.byteLength);
    // An ID3 comment or lyrics frame: what people read is its text.
    if (typeof record.text === 'string') return shortString(record.text);
    try {
      return shortString(JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Uint8Array ? binarySummary(inner.byteLength) : inner)));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Collects sections, keeping at most `reportCaps.maxKeys` keys in all. */
export class SectionCollector {
  readonly sections: Sections = {};
  private keys = 0;
  truncated = false;

  /** Adds `key` to `section` unless it is there already (the first reader wins) or the cap is reached. */
  add(section: string, key: string, raw: unknown): void {
    const value = toMetadataValue(raw);
    if (value === undefined) return;
    const target = (this.sections[section] ??= {});
    if (Object.hasOwn(target, key)) return;
    if (this.keys >= reportCaps.maxKeys) {
      this.truncated = true;
      return;
    }
    target[shortKey(key)] = value;
    this.keys += 1;
  }

  /** Drops sections that ended up empty. */
  result(): Sections {
    for (const [name, values] of Object.entries(this.sections)) {
      if (Object.keys(values).length === 0) delete this.sections[name];
    }
    return this.sections;
  }
}

function shortKey(key: string): string {
  return key.length > 200 ? key.slice(0, 200) : key;
}
