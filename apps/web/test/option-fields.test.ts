import { describe, expect, it } from 'vitest';
import { formatSize, formatValue } from '../public/display.js';
import { labelOf, OptionInputError, optionFields, optionValues, presetEntries } from '../public/option-fields.js';
import { actionPath } from '../public/resource-table.js';

/** The shape of an image → WebP schema as the image plugin publishes it, cut down. */
const webpSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    quality: { type: 'integer', minimum: 1, maximum: 100, description: 'Encoder quality.' },
    lossless: { type: 'boolean' },
    fit: { enum: ['cover', 'contain'], default: 'cover' },
    background: { type: 'string', maxLength: 64 },
    header: { type: 'boolean', default: true },
    scale: { type: 'number', minimum: 0 },
    sheet: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: 1 }] },
  },
};

describe('option fields from a published schema', () => {
  const fields = optionFields(webpSchema);

  it('makes one field per option, in the schema order, with its kind, bounds, choices and default', () => {
    expect(fields.map((field) => [field.name, field.kind])).toEqual([
      ['quality', 'integer'],
      ['lossless', 'boolean'],
      ['fit', 'choice'],
      ['background', 'text'],
      ['header', 'boolean'],
      ['scale', 'number'],
      ['sheet', 'text'],
    ]);
    expect(fields[0]).toMatchObject({ label: 'Quality', minimum: 1, maximum: 100, description: 'Encoder quality.' });
    expect(fields[2]).toMatchObject({ choices: ['cover', 'contain'], defaultValue: 'cover' });
    expect(fields[6]!.acceptsInteger).toBe(true);
    expect(optionFields(undefined)).toEqual([]);
    expect(optionFields({ type: 'object', properties: {} })).toEqual([]);
  });

  it('labels snake_case and camelCase names as words', () => {
    expect(labelOf('preserve_metadata')).toBe('Preserve metadata');
    expect(labelOf('pdfProfile')).toBe('Pdf profile');
  });

  it('sends what was entered, typed: numbers as numbers, empty fields left out, a worksheet position as a number', () => {
    expect(optionValues(fields, { quality: ' 82 ', lossless: false, fit: '', background: 'white', header: true, scale: '1.5', sheet: '2' })).toEqual({
      quality: 82,
      background: 'white',
      scale: 1.5,
      sheet: 2,
    });
    expect(optionValues(fields, { sheet: 'Totals' })).toMatchObject({ sheet: 'Totals' });
  });

  it('sends a box only where it differs from its default', () => {
    expect(optionValues(fields, { lossless: true, header: false })).toEqual({ lossless: true, header: false });
    expect(optionValues(fields, { lossless: false, header: true })).toEqual({});
  });

  it('refuses a number field that does not hold a number, naming the field', () => {
    expect(() => optionValues(fields, { quality: 'high' })).toThrow(OptionInputError);
    expect(() => optionValues(fields, { quality: '8.5' })).toThrow('Quality: enter a whole number');
    expect(() => optionValues(fields, { scale: 'x' })).toThrow('Scale: enter a number');
  });

  it('fills the form with a preset: its params, every other field cleared or at its default', () => {
    expect(presetEntries(fields, { quality: 92, lossless: true })).toEqual({
      quality: '92',
      lossless: true,
      fit: '',
      background: '',
      header: true,
      scale: '',
      sheet: '',
    });
  });
});

describe('how records are shown', () => {
  it('writes sizes in decimal units', () => {
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(999)).toBe('999 bytes');
    expect(formatSize(1500)).toBe('1.5 KB');
    expect(formatSize(2_345_678)).toBe('2.3 MB');
    expect(formatSize(45_000_000)).toBe('45 MB');
  });

  it('writes values by their field: sizes, percentages, JSON, and nothing for null', () => {
    expect(formatValue({ name: 'size', type: 'integer' }, 1500)).toBe('1.5 KB');
    expect(formatValue({ name: 'progress_pct', type: 'number' }, 42.4)).toBe('42 %');
    expect(formatValue({ name: 'options', type: 'json' }, { quality: 82 })).toBe('{"quality":82}');
    expect(formatValue({ name: 'error_code', type: 'string' }, null)).toBe('');
    expect(formatValue({ name: 'created_at', type: 'datetime' }, '2026-12-07T05:51:08.260Z')).toBe(new Date('2026-12-07T05:51:08.260Z').toLocaleString());
  });

  it("fills an action's path from the record, escaped", () => {
    const action = { name: 'retry', method: 'POST', path: '/api/conversion-jobs/{org_id}/{id}/retry', allowed: true };
    expect(actionPath(action, { org_id: 'org 1', id: 'job/2' })).toBe('/api/conversion-jobs/org%201/job%2F2/retry');
  });
});
