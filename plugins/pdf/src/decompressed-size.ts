import { constants, createInflate, inflateSync } from 'node:zlib';
import type { PDFDocument, PDFObject } from 'mupdf';
import { pauseForCancel, throwIfCancelled } from './cancellation.js';
import type { DecompressionBudget } from './limits.js';
import { decodeAscii85, decodeAsciiHex } from './stream-filters.js';

/** Streams whose inflated size stays under this are inflated in one synchronous call. */
const syncInflateCap = 4 * 1024 * 1024;
/** Objects looked at between two turns of the event loop (where a cancel can land). */
const objectsPerTurn = 256;

const filterAliases: Record<string, string> = {
  Fl: 'FlateDecode',
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
  LZW: 'LZWDecode',
  RL: 'RunLengthDecode',
  DCT: 'DCTDecode',
  CCF: 'CCITTFaxDecode',
};

/** Filters that decode to an image whose size the stream's dictionary states. */
const imageCodecs = new Set(['DCTDecode', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode']);
const textEncodings = new Set(['ASCIIHexDecode', 'ASCII85Decode']);

/**
 * Charges `budget` with the size every stream of `doc` decodes to, one stream at a time, and
 * throws limit_exceeded as soon as the total passes the limit: a few kilobytes of Flate data
 * can inflate to gigabytes, and MuPDF would decode such a stream whole, in memory, when drawing
 * the page. Flate data is inflated by zlib and only counted (never held); image codecs are
 * charged the pixel size their dictionary declares; anything else (LZW, RunLength, Flate
 * twice) is rare, and decoded by MuPDF to be measured.
 */
export async function chargeDecodedStreams(doc: PDFDocument, budget: DecompressionBudget, signal: AbortSignal | undefined, what: string): Promise<void> {
  const objectCount = doc.countObjects();
  for (let number = 1; number < objectCount; number++) {
    if (number % objectsPerTurn === 0) await pauseForCancel(signal);
    budget.charge(await objectStreamLength(doc, number, budget.remaining + 1, signal), what);
    throwIfCancelled(signal);
  }
}

/** What object `number` decodes to if it is a stream; 0 for anything else. */
async function objectStreamLength(doc: PDFDocument, number: number, cap: number, signal: AbortSignal | undefined): Promise<number> {
  try {
    const reference = doc.newIndirect(number);
    return reference.isStream() ? await decodedLength(reference, cap, signal) : 0;
  } catch {
    // A broken object is MuPDF's to repair or skip when it draws; it holds no data to count.
    return 0;
  }
}

async function decodedLength(stream: PDFObject, cap: number, signal: AbortSignal | undefined): Promise<number> {
  const dictionary = stream.resolve();
  const filters = filterNames(dictionary.get('Filter'));
  const last = filters.at(-1);
  if (last !== undefined && imageCodecs.has(last)) {
    const declared = declaredImageBytes(dictionary, last);
    if (declared !== undefined) return declared;
  }
  if (filters.length === 0) return rawBytes(stream).length;
  if (last === 'FlateDecode' && filters.slice(0, -1).every((filter) => textEncodings.has(filter))) {
    let data = rawBytes(stream);
    for (const filter of filters.slice(0, -1)) data = filter === 'ASCIIHexDecode' ? decodeAsciiHex(data) : decodeAscii85(data);
    return countInflated(data, cap, signal);
  }
  return decodedByMupdf(stream);
}

function filterNames(filter: PDFObject): string[] {
  const names: PDFObject[] = [];
  if (filter.isName()) names.push(filter);
  else if (filter.isArray()) for (let index = 0; index < filter.length; index++) names.push(filter.get(index));
  return names.filter((name) => name.isName()).map((name) => filterAliases[name.asName()] ?? name.asName());
}

function rawBytes(stream: PDFObject): Uint8Array {
  try {
    const buffer = stream.readRawStream();
    const bytes = buffer.asUint8Array().slice();
    buffer.destroy();
    return bytes;
  } catch {
    return new Uint8Array(0);
  }
}

function decodedByMupdf(stream: PDFObject): number {
  try {
    const buffer = stream.readStream();
    const length = buffer.getLength();
    buffer.destroy();
    return length;
  } catch {
    return 0;
  }
}

/** The pixel bytes an image stream declares: width × height × components × bits per component. */
function declaredImageBytes(dictionary: PDFObject, codec: string): number | undefined {
  const width = dictionary.get('Width');
  const height = dictionary.get('Height');
  if (!width.isNumber() || !height.isNumber()) return undefined;
  const bitsObject = dictionary.get('BitsPerComponent');
  const bilevel = codec === 'JBIG2Decode' || codec === 'CCITTFaxDecode';
  const bits = bilevel ? 1 : bitsObject.isNumber() ? bitsObject.asNumber() : 8;
  const components = bilevel ? 1 : colourComponents(dictionary.get('ColorSpace'), codec);
  return Math.ceil((Math.max(0, width.asNumber()) * components * Math.max(1, bits)) / 8) * Math.max(0, height.asNumber());
}

function colourComponents(space: PDFObject, codec: string): number {
  const name = space.isName() ? space.asName() : space.isArray() && space.length > 0 ? space.get(0).asName() : undefined;
  switch (name) {
    case 'DeviceGray':
    case 'G':
    case 'CalGray':
    case 'Indexed':
    case 'I':
    case 'Separation':
      return 1;
    case 'DeviceCMYK':
    case 'CMYK':
      return 4;
    case 'ICCBased': {
      const components = space.get(1).get('N');
      return components.isNumber() ? components.asNumber() : 4;
    }
    case undefined:
      // JPEG 2000 carries its colour space inside; assume the widest.
      return codec === 'JPXDecode' ? 4 : 3;
    default:
      return 3;
  }
}

/**
 * The length `data` inflates to, or a number above `cap` as soon as it is known to pass it.
 * Output is counted and dropped, never kept. Damaged data counts as far as it inflates.
 */
async function countInflated(data: Uint8Array, cap: number, signal: AbortSignal | undefined): Promise<number> {
  try {
    return inflateSync(data, { maxOutputLength: Math.min(cap, syncInflateCap), finishFlush: constants.Z_SYNC_FLUSH }).length;
  } catch {
    // Larger than the synchronous cap, or damaged: count it chunk by chunk instead.
  }
  return new Promise((resolve) => {
    const inflater = createInflate({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 256 * 1024 });
    let total = 0;
    const stop = () => {
      inflater.destroy();
      resolve(total);
    };
    const onAbort = () => stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    inflater.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > cap) stop();
    });
    inflater.on('error', stop);
    inflater.on('close', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(total);
    });
    inflater.on('end', () => resolve(total));
    inflater.end(data);
  });
}
