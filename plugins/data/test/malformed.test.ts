import { afterAll, describe, expect, it } from 'vitest';
import { conversionError, removeWorkDirs } from './data-fixtures.js';

afterAll(removeWorkDirs);

describe('a malformed input fails with invalid_input naming the line', () => {
  it.each([
    ['csv', 'json', 'a,b\n1,2\n"3,4\n5,6\n7,8\n', 'line 3'],
    ['tsv', 'json', 'a\tb\n1\t2\n3\t4\n"5\t6\n', 'line 4'],
    ['json', 'yaml', '{\n  "a": 1,\n  "b": [1, 2,]\n}\n', 'line 3, column 14'],
    ['json', 'csv', '[\n  {"a": 1}\n  {"a": 2}\n]\n', 'line 3, column 3'],
    ['json', 'toml', '{\n  "a": "unterminated\n}\n', 'line 2, column 21'],
    ['yaml', 'json', 'a: 1\nb:\n  - x\n  y: [\n', 'line 4'],
    ['xml', 'json', '<a>\n  <b>1</b>\n  <c>2</d>\n</a>\n', 'line 3'],
    ['toml', 'json', 'a = 1\n[b]\nc = \n', 'line 3'],
    ['toml', 'json', 'a = 1\na = 2\n', 'line 2'],
    ['ndjson', 'json', '{"a":1}\n{"a":2}\n{"a":3,}\n', 'line 3'],
  ])('%s (→ %s)', async (from, to, input, where) => {
    const error = await conversionError(from, to, input);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(where);
  });

  it('an NDJSON line that is not an object is named', async () => {
    const error = await conversionError('ndjson', 'csv', '{"a":1}\n[1,2]\n');
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/line 2 holds an array/);
  });

  it('an empty file is refused', async () => {
    for (const from of ['csv', 'json', 'yaml', 'xml', 'toml', 'ndjson']) {
      expect((await conversionError(from, from === 'json' ? 'yaml' : 'json', '')).code).toBe('invalid_input');
    }
  });

  it('an xlsx that is not a zip, or a zip that is not a workbook, is refused', async () => {
    expect((await conversionError('xlsx', 'csv', 'PK\u0003\u0004 but no more')).message).toContain('not a zip');
    // A valid zip (the empty archive: just its end record) that holds no workbook.
    const emptyZip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    expect((await conversionError('xlsx', 'csv', emptyZip)).code).toBe('invalid_input');
  });
});
