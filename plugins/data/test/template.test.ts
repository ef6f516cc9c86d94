import { describe, expect, it } from 'vitest';
import { dataFormatIds, dataPlugin } from '../src/index.js';
import { templateRows } from '../src/templates.js';
import { decodeOutput, recordsIn, textOnlyFormats } from './data-fixtures.js';

describe('templates', () => {
  it.each(dataFormatIds)('%s: a small example file that parses back to the example table', async (format) => {
    const bytes = await dataPlugin.template!(format);
    expect(bytes).toBeDefined();
    const records = recordsIn(await decodeOutput(format, bytes!));
    const expected = textOnlyFormats.has(format) ? templateRows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, String(value)]))) : templateRows;
    expect(records).toEqual(expected);
  });

  it('has none for a format the plugin does not make', async () => {
    expect(await dataPlugin.template!('png')).toBeUndefined();
  });
});
