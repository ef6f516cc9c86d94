import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { PluginError } from '@conveyor/contracts';
import { analyse } from 'chardet';
import iconv from 'iconv-lite';
import { refuseOversizedInput } from './limits.js';

/** How much of a file encoding detection looks at. */
const sampleLength = 64 * 1024;

/**
 * Below this confidence (0–100) chardet's guess is not taken: on a short sample it hesitates
 * between the single-byte Latin code pages ("café crème" scores windows-1250 above 1252).
 */
const trustedConfidence = 50;

/**
 * The encoding of a text file from its first bytes: a byte-order mark decides; then valid
 * UTF-8 (which plain ASCII is) is taken as UTF-8; then chardet's guess if it is confident and
 * iconv-lite can decode it; otherwise Windows-1252, the usual legacy encoding of exported
 * spreadsheets (the `encoding` option is there for the rest).
 */
export function detectEncoding(head: Uint8Array): string {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return 'utf-8';
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(head, [0xfe, 0xff])) return 'utf-16be';
  const utf16 = utf16WithoutBom(head);
  if (utf16) return utf16;
  if (isUtf8(head)) return 'utf-8';
  for (const { name, confidence } of analyse(head)) {
    if (confidence < trustedConfidence) break;
    // Latin-1 as chardet names it is, in files written on Windows, almost always cp1252, its
    // superset: the bytes 0x80–0x9F are € ‘ ’ “ ” there, invisible controls in ISO-8859-1.
    const encoding = name === 'ISO-8859-1' ? 'windows-1252' : name;
    if (iconv.encodingExists(encoding)) return encoding;
  }
  return 'windows-1252';
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** The sample is UTF-8; a multi-byte character cut off by the sample's end does not count against it. */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** UTF-16 text without a BOM shows as zero bytes in every other position (for Latin-script text). */
function utf16WithoutBom(bytes: Uint8Array): string | undefined {
  const pairs = Math.min(Math.floor(bytes.length / 2), 2048);
  if (pairs < 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let index = 0; index < pairs; index++) {
    if (bytes[2 * index] === 0) evenZeros++;
    if (bytes[2 * index + 1] === 0) oddZeros++;
  }
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return undefined;
}

export function chosenEncoding(requested: string | undefined, head: Uint8Array): string {
  if (requested === undefined) return detectEncoding(head);
  if (!iconv.encodingExists(requested)) throw new PluginError('invalid_parameter', `unknown text encoding "${requested}"`);
  return requested;
}

/** A NUL character never occurs in a text data file: the bytes are binary, or read in the wrong encoding. */
function refuseBinary(text: string, what: string): void {
  if (text.includes('\u0000')) {
    throw new PluginError('invalid_input', `the ${what} contains NUL characters: it is not a text file (or not in the encoding it was read as)`);
  }
}

async function readHead(path: string): Promise<Uint8Array> {
  const stream = createReadStream(path, { start: 0, end: sampleLength - 1 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface DecodedStream {
  encoding: string;
  /** The file's size in bytes, for progress. */
  size: number;
  /** The text in chunks, BOM removed; `onBytes` hears how many input bytes each chunk consumed. */
  chunks(onBytes: (bytes: number) => void): AsyncGenerator<string>;
}

/** Opens a text file for streaming, decided on its encoding. */
export async function openText(path: string, requestedEncoding: string | undefined, what: string): Promise<DecodedStream> {
  const [head, { size }] = await Promise.all([readHead(path), stat(path)]);
  if (size === 0) throw new PluginError('invalid_input', `the ${what} is empty`);
  const encoding = chosenEncoding(requestedEncoding, head);
  return {
    encoding,
    size,
    async *chunks(onBytes) {
      const decoder = iconv.getDecoder(encoding);
      for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
        onBytes((chunk as Buffer).length);
        const text = decoder.write(chunk as Buffer);
        refuseBinary(text, what);
        if (text) yield text;
      }
      const rest = decoder.end();
      if (rest) {
        refuseBinary(rest, what);
        yield rest;
      }
    },
  };
}

/** Reads a whole text file, within `limit` bytes, decoded to a string without its BOM. */
export async function readWholeText(path: string, requestedEncoding: string | undefined, limit: number, what: string): Promise<string> {
  const { size } = await stat(path);
  refuseOversizedInput(size, limit, what);
  const bytes = await readFile(path);
  if (bytes.length === 0) throw new PluginError('invalid_input', `the ${what} is empty`);
  const encoding = chosenEncoding(requestedEncoding, bytes.subarray(0, sampleLength));
  const text = iconv.decode(bytes, encoding);
  refuseBinary(text, what);
  return text;
}
