import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseToml } from 'smol-toml';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { conversionError, convert, removeWorkDirs } from './data-fixtures.js';

afterAll(removeWorkDirs);

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, ignoreDeclaration: true });

/** A tree using what JSON can hold: nesting, lists of lists, unicode, numbers, booleans, null. */
const tree = {
  name: 'Conveyor ✓',
  version: 3,
  ratio: 0.25,
  enabled: true,
  nothing: null,
  tags: ['a', 'b'],
  matrix: [
    [1, 2],
    [3, 4],
  ],
  owner: { login: 'ada', roles: [{ id: 1 }, { id: 2 }] },
};

describe('tree ↔ tree', () => {
  it('JSON → YAML → JSON keeps the tree exactly', async () => {
    const yaml = await convert('json', 'yaml', JSON.stringify(tree));
    expect(YAML.parse(yaml.text)).toEqual(tree);
    expect(JSON.parse((await convert('yaml', 'json', yaml.bytes)).text)).toEqual(tree);
  });

  it('YAML anchors are resolved, and a multi-document stream becomes a list of documents', async () => {
    expect(JSON.parse((await convert('yaml', 'json', 'base: &b {x: 1}\nuse: *b\n')).text)).toEqual({ base: { x: 1 }, use: { x: 1 } });
    expect(JSON.parse((await convert('yaml', 'json', 'a: 1\n---\nb: 2\n')).text)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('JSON → TOML keeps everything but null, which TOML cannot say (the key is left out)', async () => {
    const { text } = await convert('json', 'toml', JSON.stringify(tree));
    const { nothing: _dropped, ...rest } = tree;
    expect(parseToml(text)).toEqual(rest);
  });

  it('a JSON array becomes TOML under "items"; a scalar root or a null in a list is refused clearly', async () => {
    expect(parseToml((await convert('json', 'toml', '[{"a": 1}, {"a": 2}]')).text)).toEqual({ items: [{ a: 1 }, { a: 2 }] });
    const scalar = await conversionError('json', 'toml', '42');
    expect(scalar.code).toBe('invalid_input');
    expect(scalar.message).toContain('TOML needs a table');
    const nullInList = await conversionError('json', 'toml', '{"a": [1, null]}');
    expect(nullInList.message).toContain('the list at a holds one (item 2)');
  });

  it('TOML dates become ISO 8601 text', async () => {
    const { text } = await convert('toml', 'json', 'day = 1979-05-27\nmoment = 1979-05-27T07:32:00Z\n');
    expect(JSON.parse(text)).toEqual({ day: '1979-05-27', moment: '1979-05-27T07:32:00.000Z' });
  });

  it('JSON → XML: one top-level key names the document element; values become text, nested lists <item>s', async () => {
    const { text } = await convert('json', 'xml', JSON.stringify({ config: tree }));
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const parsed = xml.parse(text) as { config: Record<string, unknown> };
    expect(parsed.config).toMatchObject({ name: 'Conveyor ✓', version: '3', enabled: 'true', tags: ['a', 'b'], owner: { login: 'ada', roles: [{ id: '1' }, { id: '2' }] } });
    expect(parsed.config.matrix).toEqual([{ item: ['1', '2'] }, { item: ['3', '4'] }]);
  });

  it('JSON → XML: several top-level keys or an array are wrapped in <root>; names XML cannot hold are made safe', async () => {
    const { text } = await convert('json', 'xml', JSON.stringify({ 'first name': 'Ada', '2024': 'year', 'a&b': '<&>' }));
    expect(XMLValidator.validate(text)).toBe(true);
    expect(xml.parse(text)).toEqual({ root: { first_name: 'Ada', _2024: 'year', a_b: '<&>' } });
    expect(xml.parse((await convert('json', 'xml', '[1, 2]')).text)).toEqual({ root: { item: ['1', '2'] } });
  });

  it('XML → JSON keeps attributes under "@_", mixed text under "#text", repeats as arrays, values as text', async () => {
    const { text } = await convert('xml', 'json', '<?xml version="1.0"?>\n<!-- c -->\n<shop id="7"><item sku="a1">Tea &amp; cake</item><item sku="b2">Coffee</item><open>true</open></shop>');
    expect(JSON.parse(text)).toEqual({
      shop: { '@_id': '7', item: [{ '#text': 'Tea & cake', '@_sku': 'a1' }, { '#text': 'Coffee', '@_sku': 'b2' }], open: 'true' },
    });
  });

  it('XML → JSON → XML gives back the same document (attributes included)', async () => {
    const source = '<shop id="7"><item sku="a1">Tea</item><item sku="b2">Coffee</item></shop>';
    const json = await convert('xml', 'json', source);
    const back = await convert('json', 'xml', json.bytes);
    expect(xml.parse(back.text)).toEqual(xml.parse(source));
  });
});

describe('trees ↔ tables', () => {
  it('a tree that is not an array of flat records is refused with an explanation', async () => {
    const object = await conversionError('json', 'csv', '{"a": 1, "b": 2}');
    expect(object.code).toBe('invalid_input');
    expect(object.message).toContain('only an array of flat records can become a table');
    const nested = await conversionError('yaml', 'xlsx', '- a: 1\n  b: {c: 2}\n');
    expect(nested.message).toContain('record 1, field "b" holds an object');
    const scalars = await conversionError('json', 'tsv', '[1, 2]');
    expect(scalars.message).toContain('item 1 of the array is a number');
  });

  it('an array under the only key of the root is the table (TOML rows = [...], JSON {"rows": [...]})', async () => {
    expect((await convert('json', 'csv', '{"rows": [{"a": 1}, {"a": 2}]}')).text).toBe('a\n1\n2\n');
    expect((await convert('toml', 'csv', '[[rows]]\na = 1\n\n[[rows]]\na = 2\n')).text).toBe('a\n1\n2\n');
  });

  it('XML: the repeated element inside the document element is the table, even when it occurs once (attributes as "@_" columns)', async () => {
    expect((await convert('xml', 'csv', '<people><person><name>Ada</name></person></people>')).text).toBe('name\nAda\n');
    expect((await convert('xml', 'csv', '<people><person id="1"><name>Ada</name></person><person id="2"><name>Bob</name></person></people>')).text).toBe(
      // fast-xml-parser lists an element's attributes after its children.
      'name,@_id\nAda,1\nBob,2\n',
    );
  });

  it('CSV → TOML writes [[rows]], CSV → XML <rows><row>, CSV → YAML a list; each reads back to the same table', async () => {
    const csv = 'first name,city\nAda,London\nBob,"Paris, FR"\n';
    const rows = [
      { 'first name': 'Ada', city: 'London' },
      { 'first name': 'Bob', city: 'Paris, FR' },
    ];
    const toml = await convert('csv', 'toml', csv);
    expect(parseToml(toml.text)).toEqual({ rows });
    expect((await convert('toml', 'csv', toml.bytes)).text).toBe('first name,city\nAda,London\nBob,"Paris, FR"\n');
    const xmlOutput = await convert('csv', 'xml', csv);
    expect(xml.parse(xmlOutput.text)).toEqual({ rows: { row: rows.map((row) => ({ first_name: row['first name'], city: row.city })) } });
    expect(YAML.parse((await convert('csv', 'yaml', csv)).text)).toEqual(rows);
  });

  it('NDJSON lines may nest when the target is a tree', async () => {
    const { text } = await convert('ndjson', 'yaml', '{"a": {"b": [1, 2]}}\n');
    expect(YAML.parse(text)).toEqual([{ a: { b: [1, 2] } }]);
  });
});
