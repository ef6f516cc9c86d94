import { PluginError } from '@conveyor/contracts';
import { parse as parseToml, stringify as stringifyToml, TomlError } from 'smol-toml';
import YAML from 'yaml';
import type { TreeFormatId } from './formats.js';
import { jsonErrorOffset } from './json-error-offset.js';
import { describeValue, isPlainObject } from './table.js';
import { positionAt } from './text-position.js';
import { parseXml, stringifyXml } from './xml-tree.js';

/** The key an array is stored under to become TOML, whose documents are tables. */
export const tomlArrayKey = 'items';

/** Parses a whole text in `format` into a JSON-compatible tree; a syntax error names its line. */
export function parseTree(format: TreeFormatId, text: string): unknown {
  switch (format) {
    case 'json':
      return parseJson(text);
    case 'yaml':
      return parseYaml(text);
    case 'xml':
      return parseXml(text);
    case 'toml':
      return jsonCompatible(parseTomlText(text));
  }
}

export function stringifyTree(format: TreeFormatId, tree: unknown): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(tree, null, 2)}\n`;
    case 'yaml':
      return stringifyYaml(tree);
    case 'xml':
      return stringifyXml(tree);
    case 'toml':
      return stringifyTomlTable(tomlDocumentOf(tree));
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PluginError('invalid_input', `JSON syntax error${jsonErrorWhere(text)}: ${jsonProblem(error)}`);
  }
}

/** " at line L, column C" for where a JSON text goes wrong, or nothing when that cannot be told. */
export function jsonErrorWhere(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return '';
  const { line, column } = positionAt(text, offset);
  return ` at line ${line}, column ${column}`;
}

/** V8's message without its quote of the input or its offset, both replaced by the line and column. */
export function jsonProblem(error: unknown): string {
  return (error as Error).message
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '');
}

function parseYaml(text: string): unknown {
  const documents = YAML.parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [];
  for (const document of list) {
    const [error] = document.errors;
    if (error) {
      const position = error.linePos?.[0];
      const where = position ? ` at line ${position.line}, column ${position.col}` : '';
      throw new PluginError('invalid_input', `YAML error${where}: ${firstLine(error.message).replace(/ at line \d+, column \d+:?$/, '')}`);
    }
  }
  if (list.length === 0) throw new PluginError('invalid_input', 'the YAML holds no document');
  try {
    const values = list.map((document) => jsonCompatible(document.toJS({ maxAliasCount: 1000 })));
    // A multi-document stream (`---` separated) becomes the list of its documents.
    return values.length === 1 ? values[0] : values;
  } catch (error) {
    // toJS refuses alias bombs ("Excessive alias count") and aliases to nothing.
    throw new PluginError('invalid_input', `the YAML cannot be read as data: ${(error as Error).message}`);
  }
}

function stringifyYaml(value: unknown): string {
  // lineWidth 0: long strings stay on one line instead of being folded.
  return YAML.stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

function parseTomlText(text: string): unknown {
  try {
    return parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      throw new PluginError('invalid_input', `TOML error at line ${error.line}, column ${error.column}: ${firstLine(error.message.replace(/^Invalid TOML document: /, ''))}`);
    }
    throw error;
  }
}

/**
 * The table a tree becomes as a TOML document. TOML has no null: keys whose value is null are
 * left out (absent is how TOML says it), but a null inside a list has no such way out.
 */
export function tomlDocumentOf(tree: unknown): Record<string, unknown> {
  if (isPlainObject(tree)) return withoutNulls(tree, '') as Record<string, unknown>;
  if (Array.isArray(tree)) return { [tomlArrayKey]: withoutNulls(tree, tomlArrayKey) };
  throw new PluginError('invalid_input', `TOML needs a table (key = value pairs) at its root, and this input's root is ${describeValue(tree)}`);
}

export function stringifyTomlTable(table: Record<string, unknown>): string {
  try {
    return stringifyToml(table);
  } catch (error) {
    throw new PluginError('invalid_input', `the data cannot be written as TOML: ${(error as Error).message}`);
  }
}

function withoutNulls(value: unknown, path: string): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      if (item === null || item === undefined) throw new PluginError('invalid_input', `TOML has no null, and the list at ${path || 'the root'} holds one (item ${index + 1})`);
      return withoutNulls(item, `${path}[${index}]`);
    });
  }
  if (isPlainObject(value)) {
    const kept: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== null && item !== undefined) kept[key] = withoutNulls(item, path ? `${path}.${key}` : key);
    }
    return kept;
  }
  return value;
}

/** Dates (TOML's, YAML's timestamps) become their ISO 8601 text, so every target can hold them. */
export function jsonCompatible(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonCompatible);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, jsonCompatible(item)]));
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
