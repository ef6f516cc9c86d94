import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { detectEncoding } from '../src/text-input.js';
import { conversionError, convert, removeWorkDirs } from './data-fixtures.js';

afterAll(removeWorkDirs);

const csv = 'name;drink\nZoë;café crème\nJosé;naïve “tea” — €2\n';
const expected = [
  { name: 'Zoë', drink: 'café crème' },
  { name: 'José', drink: 'naïve “tea” — €2' },
];

describe('text encodings', () => {
  it('reads a Windows-1252 CSV (bytes 0x80–0x9F included) and writes UTF-8', async () => {
    const bytes = iconv.encode(csv, 'windows-1252');
    expect(bytes.includes(0xe9)).toBe(true); // é as one byte: not UTF-8
    const { text, bytes: output } = await convert('csv', 'json', bytes);
    expect(JSON.parse(text)).toEqual(expected);
    expect(Buffer.from(output).toString('utf8')).toContain('café');
  });

  it('reads a UTF-16LE CSV with a byte-order mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csv, 'utf-16le')]);
    expect(JSON.parse((await convert('csv', 'json', bytes)).text)).toEqual(expected);
  });

  it('reads UTF-16BE with a BOM, and UTF-16LE without one', async () => {
    const bigEndian = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(csv, 'utf-16be')]);
    expect(JSON.parse((await convert('csv', 'json', bigEndian)).text)).toEqual(expected);
    expect(JSON.parse((await convert('csv', 'json', iconv.encode(csv, 'utf-16le'))).text)).toEqual(expected);
  });

  it('drops a UTF-8 BOM, so the first column is not named "\\uFEFFname"', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]);
    expect(JSON.parse((await convert('csv', 'json', bytes)).text)).toEqual(expected);
  });

  it('reads Latin-1 JSON, YAML, XML and NDJSON too', async () => {
    const latin1 = (text: string) => iconv.encode(text, 'windows-1252');
    expect(JSON.parse((await convert('json', 'yaml', latin1('{"drink": "café"}'))).text.replace(/^drink: /, '"').replace(/\n$/, '"'))).toBe('café');
    expect((await convert('yaml', 'json', latin1('drink: café\n'))).text).toContain('"café"');
    expect((await convert('xml', 'json', latin1('<?xml version="1.0"?><d>café</d>'))).text).toContain('"café"');
    expect((await convert('ndjson', 'csv', latin1('{"drink":"café"}\n'))).text).toBe('drink\ncafé\n');
  });

  it('follows an encoding option over detection', async () => {
    // These bytes are UTF-8 for "é"; the caller says Latin-1, so they read as "Ã©".
    expect(JSON.parse((await convert('csv', 'json', Buffer.from([...Buffer.from('a\ncaf'), 0xc3, 0xa9, 0x0a]), { encoding: 'latin1' })).text)).toEqual([{ a: 'cafÃ©' }]);
    const error = await conversionError('csv', 'json', 'a\n1\n', { encoding: 'no-such-encoding' });
    expect(error.code).toBe('invalid_parameter');
  });

  it('detects encodings from the first bytes', () => {
    expect(detectEncoding(Buffer.from('plain ascii'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('café', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]))).toBe('utf-16le');
    expect(detectEncoding(iconv.encode('name,city\nJosé,München\nFrançois,Zürich\n', 'windows-1252'))).toBe('windows-1252');
    expect(detectEncoding(iconv.encode('Ceci est une phrase en français où l’on parle de café.\n', 'windows-1252'))).toBe('windows-1252');
  });

  it('refuses binary bytes offered as CSV', async () => {
    const bytes = Buffer.concat([Buffer.from('name,city\n'), Buffer.from([0, 0xff, 0xfe, 0x13, 0x00, 0x41])]);
    const error = await conversionError('csv', 'json', bytes);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('NUL');
  });
});
