import { PluginError } from '@conveyor/contracts';
import { decodeXmlText, encodeXmlText, escapeRegExp, prefixesByNamespace } from './xml-text.js';
import { listEntries, readEntryText, rewriteZip, type ZipEntry } from './zip.js';

/**
 * Document properties of office files, under one vocabulary for both families: OOXML keeps
 * them in docProps/core.xml (Dublin Core) and docProps/app.xml (the application's), ODF in
 * meta.xml. Keys are OOXML's names (`creator` is the first author, `lastModifiedBy` the last).
 */
export type OfficeFamily = 'ooxml' | 'odf';
export type OfficeProperties = Map<string, string>;

const ns = {
  cp: 'http://schemas.openxmlformats.org/package/2006/metadata/core-properties',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  meta: 'urn:oasis:names:tc:opendocument:xmlns:meta:1.0',
};

/** core.xml's properties, in the order the schema lists them. */
const coreElements: [key: string, namespace: keyof typeof ns, local: string][] = [
  ['category', 'cp', 'category'],
  ['contentStatus', 'cp', 'contentStatus'],
  ['created', 'dcterms', 'created'],
  ['creator', 'dc', 'creator'],
  ['description', 'dc', 'description'],
  ['identifier', 'dc', 'identifier'],
  ['keywords', 'cp', 'keywords'],
  ['language', 'dc', 'language'],
  ['lastModifiedBy', 'cp', 'lastModifiedBy'],
  ['lastPrinted', 'cp', 'lastPrinted'],
  ['modified', 'dcterms', 'modified'],
  ['revision', 'cp', 'revision'],
  ['subject', 'dc', 'subject'],
  ['title', 'dc', 'title'],
  ['version', 'cp', 'version'],
];
const coreKeys = new Set(coreElements.map(([key]) => key));

/** app.xml's text properties a person may edit; the statistics beside them are read only. */
const appEditable: Record<string, string> = {
  application: 'Application',
  appVersion: 'AppVersion',
  company: 'Company',
  manager: 'Manager',
  template: 'Template',
  totalTime: 'TotalTime',
  hyperlinkBase: 'HyperlinkBase',
};

const odfElements: Record<string, [namespace: 'dc' | 'meta', local: string]> = {
  title: ['dc', 'title'],
  subject: ['dc', 'subject'],
  description: ['dc', 'description'],
  language: ['dc', 'language'],
  lastModifiedBy: ['dc', 'creator'],
  modified: ['dc', 'date'],
  creator: ['meta', 'initial-creator'],
  created: ['meta', 'creation-date'],
  revision: ['meta', 'editing-cycles'],
  totalTime: ['meta', 'editing-duration'],
  application: ['meta', 'generator'],
  printedBy: ['meta', 'printed-by'],
  lastPrinted: ['meta', 'print-date'],
  keywords: ['meta', 'keyword'],
};

const odfStatistics: Record<string, string> = {
  'page-count': 'pages',
  'word-count': 'words',
  'character-count': 'characters',
  'paragraph-count': 'paragraphs',
  'table-count': 'tables',
  'image-count': 'images',
  'object-count': 'objects',
  'cell-count': 'cells',
};

/** Keys write() accepts for a family (plus, for ODF, the `custom:` properties a file has). */
export const officeEditableKeys: Record<OfficeFamily, readonly string[]> = {
  ooxml: [...coreElements.map(([key]) => key), ...Object.keys(appEditable)],
  odf: Object.keys(odfElements),
};

/** Keys anonymize removes: people's names, the software and the editing history. */
export const officeAnonymizeKeys = ['creator', 'lastModifiedBy', 'company', 'manager', 'application', 'appVersion', 'template', 'totalTime', 'revision', 'lastPrinted', 'printedBy'];

/** Dates are W3C date-times (a subset of ISO 8601), as both families store them. */
const w3cDate = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const dateKeys = new Set(['created', 'modified', 'lastPrinted']);

export function validateOfficeValue(key: string, value: string): string | undefined {
  if (dateKeys.has(key) && !w3cDate.test(value)) return `Office ${key} must be an ISO 8601 date such as 2024-05-01T12:00:00Z`;
  return undefined;
}

interface OfficeDocument {
  family: OfficeFamily;
  zip: Buffer;
  entries: ZipEntry[];
  byName: Map<string, ZipEntry>;
}

export function openOfficeDocument(zip: Buffer, family: OfficeFamily): OfficeDocument {
  const entries = listEntries(zip);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const marker = family === 'ooxml' ? '[Content_Types].xml' : 'mimetype';
  if (!byName.has(marker)) throw new PluginError('invalid_input', `the document has no ${marker}: it is not ${family === 'ooxml' ? 'an Office Open XML' : 'an OpenDocument'} file`);
  return { family, zip, entries, byName };
}

function partText(doc: OfficeDocument, name: string): string | undefined {
  const entry = doc.byName.get(name);
  return entry ? readEntryText(doc.zip, entry) : undefined;
}

/** Finds leaf `<prefix:local …>text</prefix:local>` elements (and empty ones). */
function leafPattern(qualifiedName: string, flags = 'g'): RegExp {
  const name = escapeRegExp(qualifiedName);
  return new RegExp(`<${name}(\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${name}\\s*>)`, flags);
}

function leafValues(xml: string, qualifiedName: string): string[] {
  return [...xml.matchAll(leafPattern(qualifiedName))].map((match) => decodeXmlText(match[2] ?? '').trim());
}

function prefixOf(xml: string, namespace: keyof typeof ns): string {
  return prefixesByNamespace(xml).get(ns[namespace]) ?? namespace;
}

export function readOfficeProperties(doc: OfficeDocument): OfficeProperties {
  const properties: OfficeProperties = new Map();
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '' && !properties.has(key)) properties.set(key, value);
  };
  if (doc.family === 'ooxml') {
    const core = partText(doc, 'docProps/core.xml');
    if (core) {
      for (const [key, namespace, local] of coreElements) put(key, leafValues(core, `${prefixOf(core, namespace)}:${local}`)[0]);
    }
    const app = partText(doc, 'docProps/app.xml');
    if (app) {
      for (const match of app.matchAll(/<(\w+)>([^<]*)<\/\1>/g)) {
        const element = match[1]!;
        put(element[0]!.toLowerCase() + element.slice(1), decodeXmlText(match[2]!).trim());
      }
    }
    return properties;
  }
  const meta = partText(doc, 'meta.xml');
  if (!meta) return properties;
  const prefixes = { dc: prefixOf(meta, 'dc'), meta: prefixOf(meta, 'meta') };
  for (const [key, [namespace, local]] of Object.entries(odfElements)) {
    const values = leafValues(meta, `${prefixes[namespace]}:${local}`).filter((value) => value !== '');
    put(key, key === 'keywords' ? values.join(', ') : values[0]);
  }
  for (const match of meta.matchAll(leafPattern(`${prefixes.meta}:user-defined`))) {
    const name = new RegExp(`${escapeRegExp(prefixes.meta)}:name\\s*=\\s*"([^"]*)"`).exec(match[1] ?? '')?.[1];
    if (name) put(`custom:${decodeXmlText(name)}`, decodeXmlText(match[2] ?? '').trim());
  }
  const statistic = new RegExp(`<${escapeRegExp(prefixes.meta)}:document-statistic\\s([^>]*)/?>`).exec(meta)?.[1] ?? '';
  for (const match of statistic.matchAll(/[\w.-]+:([\w-]+)\s*=\s*"(\d+)"/g)) {
    const key = odfStatistics[match[1]!];
    if (key) put(key, match[2]);
  }
  return properties;
}

/** Keys that a change may touch in this document: the family's, plus its own custom ones. */
export function officeEditable(doc: OfficeDocument, properties: OfficeProperties): string[] {
  const keys = [...officeEditableKeys[doc.family]];
  if (doc.family === 'odf') for (const key of properties.keys()) if (key.startsWith('custom:')) keys.push(key);
  return keys;
}

const relationshipTypes = {
  core: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
  app: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties',
};
const contentTypes = {
  core: 'application/vnd.openxmlformats-package.core-properties+xml',
  app: 'application/vnd.openxmlformats-officedocument.extended-properties+xml',
};

/** Registers a new docProps part in [Content_Types].xml and _rels/.rels. */
function registerPart(doc: OfficeDocument, changes: Map<string, string>, part: 'core' | 'app'): void {
  const partName = `docProps/${part}.xml`;
  const types = changes.get('[Content_Types].xml') ?? partText(doc, '[Content_Types].xml') ?? '';
  if (!types.includes(`/${partName}"`)) {
    changes.set('[Content_Types].xml', types.replace(/<\/Types\s*>/, `<Override PartName="/${partName}" ContentType="${contentTypes[part]}"/></Types>`));
  }
  const rels =
    changes.get('_rels/.rels') ??
    partText(doc, '_rels/.rels') ??
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
  if (!rels.includes(relationshipTypes[part])) {
    changes.set('_rels/.rels', rels.replace(/<\/Relationships\s*>/, `<Relationship Id="rIdConveyor${part}" Type="${relationshipTypes[part]}" Target="${partName}"/></Relationships>`));
  }
}

function coreXml(properties: OfficeProperties): string {
  const lines = coreElements.flatMap(([key, namespace, local]) => {
    const value = properties.get(key);
    if (value === undefined) return [];
    const type = namespace === 'dcterms' ? ' xsi:type="dcterms:W3CDTF"' : '';
    return [`<${namespace}:${local}${type}>${encodeXmlText(value)}</${namespace}:${local}>`];
  });
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<cp:coreProperties xmlns:cp="${ns.cp}" xmlns:dc="${ns.dc}" xmlns:dcterms="${ns.dcterms}" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    lines.join('') +
    '</cp:coreProperties>'
  );
}

/** Sets (or, for `undefined`, removes) one leaf element inside `container`'s closing tag. */
function patchLeaf(xml: string, qualifiedName: string, value: string | undefined, closingTag: string, multiple = false): string {
  let patched = xml.replace(leafPattern(qualifiedName), '');
  if (value === undefined) return patched;
  const values = multiple ? value.split(',').map((item) => item.trim()).filter((item) => item !== '') : [value];
  const elements = values.map((item) => `<${qualifiedName}>${encodeXmlText(item)}</${qualifiedName}>`).join('');
  const closing = new RegExp(`</${escapeRegExp(closingTag)}\\s*>`);
  const selfClosing = new RegExp(`<${escapeRegExp(closingTag)}(\\s[^>]*)?/>`);
  if (closing.test(patched)) patched = patched.replace(closing, (end) => `${elements}${end}`);
  else if (selfClosing.test(patched)) patched = patched.replace(selfClosing, (_whole, attributes: string | undefined) => `<${closingTag}${attributes ?? ''}>${elements}</${closingTag}>`);
  else throw new PluginError('invalid_input', `the document's properties have no ${closingTag} element`);
  return patched;
}

function emptyMetaXml(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta xmlns:office="${ns.office}" xmlns:meta="${ns.meta}" xmlns:dc="${ns.dc}" xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"><office:meta></office:meta></office:document-meta>`;
}

/** The document rewritten with `after` as its properties (only the parts that changed are touched). */
export function writeOfficeProperties(doc: OfficeDocument, before: OfficeProperties, after: OfficeProperties): Buffer {
  const changed = new Set([...before.keys(), ...after.keys()].filter((key) => before.get(key) !== after.get(key)));
  const changes = new Map<string, string>();
  if (changed.size === 0) return doc.zip;
  if (doc.family === 'ooxml') {
    if ([...changed].some((key) => coreKeys.has(key))) {
      if (!doc.byName.has('docProps/core.xml')) registerPart(doc, changes, 'core');
      const core = new Map([...after].filter(([key]) => coreKeys.has(key)));
      changes.set('docProps/core.xml', coreXml(core));
    }
    const appChanges = [...changed].filter((key) => Object.hasOwn(appEditable, key));
    if (appChanges.length > 0) {
      let app = partText(doc, 'docProps/app.xml');
      if (app === undefined) {
        registerPart(doc, changes, 'app');
        app = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"></Properties>';
      }
      for (const key of appChanges) app = patchLeaf(app, appEditable[key]!, after.get(key), 'Properties');
      changes.set('docProps/app.xml', app);
    }
  } else {
    let meta = partText(doc, 'meta.xml');
    if (meta === undefined) {
      meta = emptyMetaXml();
      const manifest = partText(doc, 'META-INF/manifest.xml');
      if (manifest && !manifest.includes('"meta.xml"')) {
        const prefix = prefixesByNamespace(manifest).get('urn:oasis:names:tc:opendocument:xmlns:manifest:1.0') ?? 'manifest';
        changes.set('META-INF/manifest.xml', manifest.replace(new RegExp(`</${prefix}:manifest\\s*>`), `<${prefix}:file-entry ${prefix}:full-path="meta.xml" ${prefix}:media-type="text/xml"/></${prefix}:manifest>`));
      }
    }
    const prefixes = { dc: prefixOf(meta, 'dc'), meta: prefixOf(meta, 'meta'), office: prefixOf(meta, 'office') };
    const container = `${prefixes.office}:meta`;
    for (const key of changed) {
      const value = after.get(key);
      if (key.startsWith('custom:')) {
        const name = key.slice('custom:'.length);
        const pattern = new RegExp(`<${escapeRegExp(prefixes.meta)}:user-defined\\s[^>]*${escapeRegExp(prefixes.meta)}:name\\s*=\\s*"${escapeRegExp(encodeXmlText(name))}"[^>]*(?:/>|>[\\s\\S]*?</${escapeRegExp(prefixes.meta)}:user-defined\\s*>)`, 'g');
        meta = meta.replace(pattern, '');
        if (value !== undefined) {
          const element = `<${prefixes.meta}:user-defined ${prefixes.meta}:name="${encodeXmlText(name)}">${encodeXmlText(value)}</${prefixes.meta}:user-defined>`;
          meta = meta.replace(new RegExp(`</${escapeRegExp(container)}\\s*>`), (end) => `${element}${end}`);
        }
        continue;
      }
      const element = odfElements[key];
      if (!element) continue;
      meta = patchLeaf(meta, `${prefixes[element[0]]}:${element[1]}`, value, container, key === 'keywords');
    }
    changes.set('meta.xml', meta);
  }
  return rewriteZip(doc.zip, doc.entries, changes);
}
