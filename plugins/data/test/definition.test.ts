import { describe, expect, it } from 'vitest';
import { dataFormatIds, dataPlugin, parseDataOptions } from '../src/index.js';

describe('data plugin definition', () => {
  it('converts every ordered pair of its eight formats: 56 capabilities', () => {
    expect(dataPlugin.capabilities).toHaveLength(56);
    for (const from of dataFormatIds) {
      for (const to of dataFormatIds) {
        const declared = dataPlugin.capabilities.some((capability) => capability.from === from && capability.to === to);
        expect(declared, `${from} → ${to}`).toBe(from !== to);
      }
    }
  });

  it('offers each option only on the side it applies to', () => {
    const options = (from: string, to: string) =>
      Object.keys((dataPlugin.capabilities.find((capability) => capability.from === from && capability.to === to)!.options as { properties: object }).properties);
    expect(options('csv', 'json')).toEqual(['delimiter', 'header', 'infer_types', 'encoding']);
    expect(options('json', 'csv')).toEqual(['delimiter', 'encoding']);
    expect(options('xlsx', 'tsv')).toEqual(['header', 'sheet']);
    expect(options('yaml', 'toml')).toEqual(['encoding']);
  });

  it('publishes closed schemas, so the API refuses an option a pair does not name', () => {
    for (const { from, to, options } of dataPlugin.capabilities) expect(options?.additionalProperties, `${from} → ${to}`).toBe(false);
  });

  it('marks as lossy what loses types or values, and not what keeps them', () => {
    const lossy = (from: string, to: string) => dataPlugin.capabilities.find((capability) => capability.from === from && capability.to === to)!.lossy;
    expect(lossy('csv', 'tsv')).toBe(false);
    expect(lossy('json', 'yaml')).toBe(false);
    expect(lossy('json', 'csv')).toBe(true);
    expect(lossy('json', 'toml')).toBe(true);
    expect(lossy('xlsx', 'json')).toBe(true);
  });

  it('validates options', () => {
    expect(parseDataOptions({})).toEqual({ header: true, inferTypes: false });
    expect(() => parseDataOptions({ header: 'yes' })).toThrow(/header must be true or false/);
    expect(() => parseDataOptions({ sheet: 0 })).toThrow(/sheet must be/);
    expect(() => parseDataOptions({ delimiter: ';;' })).toThrow(/single character/);
  });

  it('declares its formats with the ids the ingress knows', () => {
    expect(dataPlugin.formats!.map((format) => format.id)).toEqual([...dataFormatIds]);
    expect(dataPlugin.version).toBe('0.1.0');
  });
});
