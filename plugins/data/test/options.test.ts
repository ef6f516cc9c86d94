import { afterAll, describe, expect, it } from 'vitest';
import { conversionError, convert, decodeOutput, removeWorkDirs, xlsxBytes, xlsxRecords } from './data-fixtures.js';

afterAll(removeWorkDirs);

describe('delimiter', () => {
  it.each([
    [';', 'name;city;note\nAda;London;"a; b"\nGrace;"New York, NY";x\n'],
    ['|', 'name|city|note\nAda|London|a, b\nGrace|New York; NY|x\n'],
    ['\t', 'name\tcity\tnote\nAda\tLondon\ta, b\nGrace\tNew York\tx\n'],
    [',', 'name,city,note\nAda,London,"a; b"\nGrace,"New York| NY",x\n'],
  ])('is detected when not given (%j)', async (_delimiter, csv) => {
    const { text } = await convert('csv', 'json', csv);
    const records = JSON.parse(text) as Record<string, string>[];
    expect(records.map((record) => Object.keys(record))).toEqual([
      ['name', 'city', 'note'],
      ['name', 'city', 'note'],
    ]);
    expect(records[0]).toMatchObject({ name: 'Ada', city: 'London' });
  });

  it('is taken as given on input, overriding detection', async () => {
    // Detection would pick the comma (two per record); the caller says the semicolon.
    const { text } = await convert('csv', 'json', 'a;b,c,d\n1;2,3,4\n', { delimiter: ';' });
    expect(JSON.parse(text)).toEqual([{ a: '1', 'b,c,d': '2,3,4' }]);
  });

  it('sets the separator of a CSV output', async () => {
    const { text } = await convert('json', 'csv', JSON.stringify([{ a: 'x;y', b: 2 }]), { delimiter: ';' });
    expect(text).toBe('a;b\n"x;y";2\n');
  });

  it('refuses a quote or a line break as delimiter', async () => {
    const error = await conversionError('csv', 'json', 'a,b\n1,2\n', { delimiter: '"' });
    expect(error.code).toBe('invalid_parameter');
  });
});

describe('header', () => {
  it('names columns by the first row by default, renaming empty and repeated names', async () => {
    const { text } = await convert('csv', 'json', 'name,,name\nAda,x,y\n');
    expect(JSON.parse(text)).toEqual([{ name: 'Ada', column_2: 'x', name_2: 'y' }]);
  });

  it('false: every row is data, keyed column_1…, and no header row is written to a table', async () => {
    const csv = 'Ada,London\nGrace,New York\n';
    expect(JSON.parse((await convert('csv', 'json', csv, { header: false })).text)).toEqual([
      { column_1: 'Ada', column_2: 'London' },
      { column_1: 'Grace', column_2: 'New York' },
    ]);
    expect((await convert('csv', 'tsv', csv, { header: false })).text).toBe('Ada\tLondon\nGrace\tNew York\n');
  });

  it('false on an xlsx input keeps its first row as data', async () => {
    const workbook = await xlsxBytes([{ name: 'S', rows: [['a', 1], ['b', 2]] }]);
    expect(JSON.parse((await convert('xlsx', 'json', workbook, { header: false })).text)).toEqual([
      { column_1: 'a', column_2: 1 },
      { column_1: 'b', column_2: 2 },
    ]);
  });

  it('pads short records and refuses records with more (non-empty) fields than the header, naming the line', async () => {
    expect(JSON.parse((await convert('csv', 'json', 'a,b,c\n1,2\n3,4,5,\n')).text)).toEqual([
      { a: '1', b: '2', c: '' },
      { a: '3', b: '4', c: '5' },
    ]);
    const error = await conversionError('csv', 'json', 'a,b\n1,2\n3,4\n5,6,7\n');
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('line 4');
  });
});

describe('sheet', () => {
  const workbook = () =>
    xlsxBytes([
      { name: 'First', rows: [['k'], ['one']] },
      { name: 'Second', rows: [['k'], ['two']] },
      { name: '3', rows: [['k'], ['three by name']] },
    ]);

  it('reads the first sheet by default', async () => {
    expect(JSON.parse((await convert('xlsx', 'json', await workbook())).text)).toEqual([{ k: 'one' }]);
  });

  it('chooses a sheet by name, or by 1-based position; a name wins over a position', async () => {
    expect(JSON.parse((await convert('xlsx', 'json', await workbook(), { sheet: 'Second' })).text)).toEqual([{ k: 'two' }]);
    expect(JSON.parse((await convert('xlsx', 'json', await workbook(), { sheet: 2 })).text)).toEqual([{ k: 'two' }]);
    expect(JSON.parse((await convert('xlsx', 'json', await workbook(), { sheet: '3' })).text)).toEqual([{ k: 'three by name' }]);
  });

  it('refuses a sheet the workbook does not have, listing those it has', async () => {
    const error = await conversionError('xlsx', 'json', await workbook(), { sheet: 'Missing' });
    expect(error.code).toBe('invalid_parameter');
    expect(error.message).toContain('"First", "Second", "3"');
  });
});

describe('types', () => {
  it('CSV values stay text by default: no number is guessed, "007" keeps its zeros', async () => {
    const { text } = await convert('csv', 'json', 'zip,count,flag,empty\n007,42,true,\n');
    expect(JSON.parse(text)).toEqual([{ zip: '007', count: '42', flag: 'true', empty: '' }]);
  });

  it('infer_types reads numbers, booleans and empty fields, keeping leading zeros and unsafe integers as text', async () => {
    const { text } = await convert('csv', 'json', 'zip,count,ratio,flag,empty,big\n007,42,-1.5e3,TRUE,,12345678901234567890\n', { infer_types: true });
    expect(JSON.parse(text)).toEqual([{ zip: '007', count: 42, ratio: -1500, flag: true, empty: null, big: '12345678901234567890' }]);
  });

  it('xlsx cells become JSON numbers, booleans, ISO dates, formula results and text', async () => {
    const bytes = await xlsxBytes([
      {
        name: 'Types',
        rows: [
          ['number', 'bool', 'date', 'datetime', 'formula', 'rich', 'link', 'empty'],
          [
            3.5,
            true,
            new Date(Date.UTC(2024, 2, 1)),
            new Date(Date.UTC(2024, 2, 1, 13, 45, 30)),
            { formula: '1+1', result: 2 },
            { richText: [{ text: 'bold ' }, { text: 'text' }] },
            { text: 'site', hyperlink: 'https://example.org' },
            null,
          ],
        ],
      },
    ]);
    const { text } = await convert('xlsx', 'json', bytes);
    expect(JSON.parse(text)).toEqual([
      { number: 3.5, bool: true, date: '2024-03-01', datetime: '2024-03-01T13:45:30', formula: 2, rich: 'bold text', link: 'site', empty: null },
    ]);
  });

  it('JSON numbers and booleans become typed xlsx cells; null and empty text leave the cell empty', async () => {
    const { bytes } = await convert('json', 'xlsx', JSON.stringify([{ n: 1.25, b: false, s: '0042', z: null, e: '' }]));
    expect(await xlsxRecords(bytes)).toEqual([{ n: 1.25, b: false, s: '0042', z: null, e: null }]);
  });

  it('typed values become text in CSV: numbers as printed, booleans as true/false, null as an empty field', async () => {
    const { text } = await convert('ndjson', 'csv', '{"n":1.5,"b":true,"z":null}\n');
    expect(text).toBe('n,b,z\n1.5,true,\n');
  });

  it('NDJSON records with different keys become one table over all the keys, in first-seen order', async () => {
    const { bytes } = await convert('ndjson', 'tsv', '{"a":1}\n\n{"b":2,"a":3}\n{"c":"x"}\n');
    expect(await decodeOutput('tsv', bytes)).toEqual([
      { a: '1', b: '', c: '' },
      { a: '3', b: '2', c: '' },
      { a: '', b: '', c: 'x' },
    ]);
  });
});
