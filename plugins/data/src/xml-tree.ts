import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { PluginError } from '@conveyor/contracts';
import { isPlainObject } from './table.js';

/**
 * How XML maps onto a JSON tree (both ways): attributes are keys prefixed "@_", an element's
 * text beside attributes or children is "#text", repeated elements become arrays, and every
 * value stays text (XML has no types, and guessing them would turn "007" into 7).
 */
export const attributePrefix = '@_';
export const textKey = '#text';
/** The document element a tree gets when it has no single top-level key to be named after. */
export const defaultRootName = 'root';
/** The element each item of a nested array is wrapped in. */
export const arrayItemName = 'item';

const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: attributePrefix,
  textNodeName: textKey,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: attributePrefix,
  textNodeName: textKey,
  format: true,
  indentBy: '  ',
  suppressBooleanAttributes: false,
});

/** Parses XML into a tree; a malformed document fails with the validator's line and column. */
export function parseXml(text: string): unknown {
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { line, col, msg } = verdict.err;
    throw new PluginError('invalid_input', `XML error at line ${line}, column ${col}: ${msg}`);
  }
  const tree: unknown = parser.parse(text);
  if (!isPlainObject(tree) || Object.keys(tree).length === 0) throw new PluginError('invalid_input', 'the XML has no root element');
  return tree;
}

/**
 * A tree as an XML document. A tree with one top-level key that is not a list is already a
 * document with that element at its root; anything else is wrapped in <root>.
 */
export function stringifyXml(tree: unknown): string {
  return xmlDeclaration + builder.build(documentOf(tree));
}

function documentOf(tree: unknown): Record<string, unknown> {
  if (isPlainObject(tree)) {
    const keys = Object.keys(tree);
    const only = keys.length === 1 ? keys[0]! : undefined;
    if (only !== undefined && !only.startsWith(attributePrefix) && only !== textKey && !Array.isArray(tree[only])) return xmlSafeObject(tree);
    return { [defaultRootName]: xmlSafeObject(tree) };
  }
  if (Array.isArray(tree)) return { [defaultRootName]: { [arrayItemName]: xmlSafeArray(tree) } };
  return { [defaultRootName]: tree };
}

/** The opening of an XML document of rows (`<rows><row>…</row>…</rows>`), its rows, and its end. */
export const xmlRowsStart = `${xmlDeclaration}<rows>\n`;
export const xmlRowsEnd = '</rows>\n';
export function xmlRow(row: Record<string, unknown>): string {
  return builder.build({ row: xmlSafeObject(row) });
}

/**
 * An element name for a key: XML names cannot hold spaces or most punctuation, nor start with
 * a digit, so "first name" becomes first_name and "2024" becomes _2024.
 */
export function xmlName(key: string): string {
  const name = key.replace(/[^\p{L}\p{N}_.:-]/gu, '_');
  return /^[\p{L}_]/u.test(name) ? name : `_${name}`;
}

function xmlSafeObject(object: Record<string, unknown>): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const keepsKey = key === textKey || (key.startsWith(attributePrefix) && !isPlainObject(value) && !Array.isArray(value) && key.length > attributePrefix.length);
    let name = keepsKey ? (key === textKey ? key : attributePrefix + xmlName(key.slice(attributePrefix.length))) : xmlName(key);
    for (let suffix = 2; name in safe; suffix++) name = `${keepsKey ? key : xmlName(key)}_${suffix}`;
    safe[name] = Array.isArray(value) ? xmlSafeArray(value) : xmlSafeValue(value);
  }
  return safe;
}

/** The items of a list, each its own element; a list inside a list becomes <item> children. */
function xmlSafeArray(items: readonly unknown[]): unknown[] {
  return items.map((item) => (Array.isArray(item) ? { [arrayItemName]: xmlSafeArray(item) } : xmlSafeValue(item)));
}

function xmlSafeValue(value: unknown): unknown {
  if (isPlainObject(value)) return xmlSafeObject(value);
  return value;
}
