import { PluginError } from '@conveyor/contracts';

/**
 * Checks an SVG before librsvg sees it, so that rasterising an upload never reaches outside
 * it: no entity declarations (XXE, "billion laughs"), no stylesheet processing instructions,
 * and no reference to anything but a `#fragment` of the document or a `data:` URI — in href
 * and src attributes, `url(…)` in attributes and CSS, and CSS `@import`. A DOCTYPE without an
 * internal subset is harmless but names an external DTD; it is cut out rather than refused.
 *
 * This reads the markup with a small strict lexer rather than patterns over the whole text, so
 * that text cannot hide an attribute inside what a pattern would take for a value. Anything it
 * cannot read cleanly is refused: a document it misreads must not reach librsvg.
 *
 * @returns the SVG to rasterise: the input, or the input without its DOCTYPE.
 */
export function checkSvgSafety(bytes: Buffer): Buffer {
  return checkDocument(bytes, 0);
}

/** How deep SVGs inside `data:` URIs inside SVGs are checked before one more is refused. */
const maxNestedDepth = 3;

const acceptedEncodings = /^(?:utf-?8|us-ascii|ascii|iso-8859-\d{1,2}|latin-?1|windows-125\d)$/i;

function unsafe(reason: string): PluginError {
  return new PluginError('invalid_input', `the SVG was refused: ${reason}`);
}

function checkDocument(bytes: Buffer, depth: number): Buffer {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw unsafe('it is gzip-compressed (svgz); send the uncompressed SVG');
  // UTF-16 and UTF-32 hide ASCII markup from a byte-wise reading; every real SVG tool writes UTF-8.
  if (bytes.includes(0)) throw unsafe('it is not UTF-8 text (it contains NUL bytes)');
  const text = bytes.toString('utf8');
  const doctype = new SvgLexer(text, depth).run();
  if (!doctype) return bytes;
  // A nested SVG cannot be rewritten in place; one with a DOCTYPE is refused instead.
  if (depth > 0) throw unsafe('an SVG inside a data: URI has a DOCTYPE');
  return Buffer.concat([Buffer.from(text.slice(0, doctype.start), 'utf8'), Buffer.from(text.slice(doctype.end), 'utf8')]);
}

class SvgLexer {
  private at = 0;
  private doctype: { start: number; end: number } | undefined;
  /** Inside a `<style>` element, whose text is CSS. */
  private inStyle = false;

  constructor(
    private readonly text: string,
    private readonly depth: number,
  ) {}

  run(): { start: number; end: number } | undefined {
    const { text } = this;
    while (this.at < text.length) {
      const open = text.indexOf('<', this.at);
      this.checkText(text.slice(this.at, open < 0 ? text.length : open));
      if (open < 0) break;
      this.at = open;
      if (text.startsWith('<!--', open)) this.at = this.endOf('-->', open + 4, 'a comment');
      else if (text.startsWith('<![CDATA[', open)) {
        const end = this.endOf(']]>', open + 9, 'a CDATA section');
        if (this.inStyle) checkCss(text.slice(open + 9, end - 3), this.depth);
        this.at = end;
      } else if (text.startsWith('<?', open)) this.processingInstruction(open);
      else if (text.startsWith('<!DOCTYPE', open)) this.doctypeDeclaration(open);
      else if (text.startsWith('<!', open)) throw unsafe(`it holds a markup declaration (${excerpt(text.slice(open))}) outside a DOCTYPE`);
      else this.tag(open);
    }
    return this.doctype;
  }

  private endOf(terminator: string, from: number, what: string): number {
    const end = this.text.indexOf(terminator, from);
    if (end < 0) throw unsafe(`${what} is never closed`);
    return end + terminator.length;
  }

  private checkText(chunk: string): void {
    const decoded = decodeReferences(chunk);
    if (this.inStyle) checkCss(decoded, this.depth);
  }

  private processingInstruction(open: number): void {
    const end = this.endOf('?>', open + 2, 'a processing instruction');
    const body = this.text.slice(open + 2, end - 2);
    const target = /^[^\s?]*/.exec(body)![0];
    if (target === 'xml') {
      const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1];
      if (encoding !== undefined && !acceptedEncodings.test(encoding)) throw unsafe(`its encoding "${encoding}" is not accepted; use UTF-8`);
    } else if (target.toLowerCase() === 'xml-stylesheet') {
      throw unsafe('it links a stylesheet (<?xml-stylesheet?>); put the CSS in a <style> element');
    }
    this.at = end;
  }

  /** `<!DOCTYPE svg PUBLIC "…" "…">` is cut out; one with an internal subset (`[ … ]`, where entities are declared) is refused. */
  private doctypeDeclaration(open: number): void {
    const { text } = this;
    let quote: string | undefined;
    for (let index = open + 9; index < text.length; index++) {
      const character = text[index]!;
      if (quote) {
        if (character === quote) quote = undefined;
      } else if (character === '"' || character === "'") {
        quote = character;
      } else if (character === '[') {
        const declaresEntities = /<!ENTITY/i.test(text.slice(index));
        throw unsafe(
          declaresEntities
            ? 'it declares entities (<!ENTITY …>), which can read local files or expand without bound'
            : 'its DOCTYPE has an internal subset ([ … ]), where entities and default attributes are declared',
        );
      } else if (character === '>') {
        if (this.doctype) throw unsafe('it has two DOCTYPEs');
        this.doctype = { start: open, end: index + 1 };
        this.at = index + 1;
        return;
      }
    }
    throw unsafe('its DOCTYPE is never closed');
  }

  private tag(open: number): void {
    const { text } = this;
    const closing = text[open + 1] === '/';
    const nameMatch = /^[^\s/>]+/.exec(text.slice(open + (closing ? 2 : 1), open + 260));
    if (!nameMatch) throw unsafe(`it has a malformed tag (${excerpt(text.slice(open))})`);
    const name = localName(nameMatch[0]);
    let at = open + (closing ? 2 : 1) + nameMatch[0].length;
    const attribute = /\s*([^\s=/>"'<]+)\s*=\s*(["'])/y;
    for (;;) {
      const whitespace = /\s*/y;
      whitespace.lastIndex = at;
      whitespace.exec(text);
      at = whitespace.lastIndex;
      if (text.startsWith('/>', at) || text[at] === '>') {
        const selfClosing = text[at] === '/';
        this.at = at + (selfClosing ? 2 : 1);
        if (name.toLowerCase() === 'style') this.inStyle = !closing && !selfClosing;
        return;
      }
      if (closing) throw unsafe(`it has a malformed closing tag </${nameMatch[0]}>`);
      attribute.lastIndex = at;
      const match = attribute.exec(text);
      if (!match) throw unsafe(`it has a malformed attribute in <${nameMatch[0]}> (${excerpt(text.slice(at))})`);
      const valueStart = attribute.lastIndex;
      const valueEnd = text.indexOf(match[2]!, valueStart);
      if (valueEnd < 0) throw unsafe(`an attribute value in <${nameMatch[0]}> is never closed`);
      const rawValue = text.slice(valueStart, valueEnd);
      if (rawValue.includes('<')) throw unsafe(`an attribute value in <${nameMatch[0]}> contains "<"`);
      this.checkAttribute(name, match[1]!, decodeReferences(rawValue));
      at = valueEnd + 1;
    }
  }

  private checkAttribute(element: string, attribute: string, value: string): void {
    const name = localName(attribute).toLowerCase();
    // <a href> is a link for a viewer to follow, never loaded while rendering.
    if ((name === 'href' || name === 'src') && element.toLowerCase() !== 'a') checkReference(value, `${attribute} of <${element}>`, this.depth);
    checkCss(value, this.depth);
  }
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

function excerpt(text: string): string {
  const line = text.slice(0, 40).replace(/\s+/g, ' ');
  return text.length > 40 ? `${line}…` : line;
}

const predefinedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Resolves character references and XML's five predefined entities; any other entity reference is refused, as no entity may be declared. */
function decodeReferences(text: string): string {
  return text.replace(/&([^;\s&]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw unsafe(`it has a stray "&" (${excerpt(whole)})`);
    const hex = /^#x([0-9a-f]+)$/i.exec(name);
    const decimal = /^#([0-9]+)$/.exec(name);
    const code = hex ? parseInt(hex[1]!, 16) : decimal ? parseInt(decimal[1]!, 10) : undefined;
    if (code !== undefined) {
      if (code > 0x10ffff) throw unsafe(`it has an invalid character reference &${name};`);
      return String.fromCodePoint(code);
    }
    const predefined = predefinedEntities[name];
    if (predefined === undefined) throw unsafe(`it refers to the entity &${name};, and entities are not accepted`);
    return predefined;
  });
}

/** CSS escapes (`\75 rl(`) spell `url(` too: they are resolved before looking. */
function decodeCssEscapes(css: string): string {
  return css.replace(/\\(?:([0-9a-f]{1,6})\s?|([\s\S]))/gi, (_whole, hex: string | undefined, character: string | undefined) =>
    hex !== undefined ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)) : character!,
  );
}

function checkCss(css: string, depth: number): void {
  const decoded = decodeCssEscapes(css);
  if (/@import/i.test(decoded)) throw unsafe('its CSS imports another stylesheet (@import)');
  const url = /url\s*\(\s*/gi;
  for (let match = url.exec(decoded); match; match = url.exec(decoded)) {
    const start = url.lastIndex;
    const quote = decoded[start] === '"' || decoded[start] === "'" ? decoded[start]! : undefined;
    const end = quote ? decoded.indexOf(quote, start + 1) : decoded.indexOf(')', start);
    const target = quote ? decoded.slice(start + 1, end < 0 ? undefined : end) : decoded.slice(start, end < 0 ? undefined : end);
    checkReference(target.trim(), 'a url(…)', depth);
  }
}

/** A reference may point into the document (`#id`) or carry its data inline (`data:`); an SVG in a data URI is checked in turn. */
function checkReference(reference: string, where: string, depth: number): void {
  const target = reference.trim();
  if (target === '' || target.startsWith('#')) return;
  const data = /^data:([^,]*),([\s\S]*)$/i.exec(target);
  if (!data) throw unsafe(`${where} refers to ${excerpt(target)}; only #fragments and data: URIs are allowed, nothing outside the file`);
  const mediaType = data[1]!.toLowerCase();
  if (!mediaType.includes('svg') && !mediaType.includes('xml')) return;
  if (depth + 1 >= maxNestedDepth) throw unsafe('it nests SVG images in data: URIs too deeply');
  checkDocument(dataPayload(mediaType, data[2]!), depth + 1);
}

function dataPayload(mediaType: string, encoded: string): Buffer {
  if (mediaType.endsWith(';base64')) return Buffer.from(encoded, 'base64');
  try {
    return Buffer.from(decodeURIComponent(encoded), 'utf8');
  } catch {
    throw unsafe('it has a data: URI with broken percent-encoding');
  }
}
