/**
 * What a file's first bytes show, by the same signatures as the ingress's sniffer
 * (core/src/formats/sniff.ts): a plugin depends on the contracts only, so the few it needs
 * are repeated here. The scanner checks again what the ingress decided, from the file itself.
 */

/** How many leading bytes `sniff` needs. */
export const signatureHeadLength = 64;

function hasBytes(head: Uint8Array, offset: number, bytes: readonly number[]): boolean {
  return head.length >= offset + bytes.length && bytes.every((byte, index) => head[offset + index] === byte);
}

export function hasText(head: Uint8Array, offset: number, text: string): boolean {
  return hasBytes(head, offset, [...text].map((character) => character.charCodeAt(0)));
}

function textAt(head: Uint8Array, offset: number, length: number): string {
  return Buffer.from(head.subarray(offset, offset + length)).toString('latin1');
}

/** ISO base media files (`....ftyp<brand>`): the brands say which kind of file it is. */
function isoBaseMediaKind(head: Uint8Array): string {
  const boxSize = Buffer.from(head.subarray(0, 4)).readUInt32BE(0);
  const brands = [textAt(head, 8, 4)];
  for (let offset = 16; offset + 4 <= Math.min(boxSize, head.length); offset += 4) brands.push(textAt(head, offset, 4));
  const major = brands[0]!;
  if (major === 'avif' || major === 'avis') return 'avif';
  if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx'].includes(major)) return 'heic';
  if (major === 'mif1' || major === 'msf1') return brands.includes('avif') || brands.includes('avis') ? 'avif' : 'heic';
  if (major === 'qt  ') return 'mov';
  if (major === 'M4A ' || major === 'M4B ') return 'm4a';
  return 'mp4';
}

/** Sync bits, a defined version and layer, a usable bitrate and sample rate: random 0xFF-led bytes are not MP3. */
function isMpegAudioFrame(head: Uint8Array): boolean {
  if (head.length < 3 || head[0] !== 0xff || (head[1]! & 0xe0) !== 0xe0) return false;
  const version = (head[1]! >> 3) & 0b11;
  const layer = (head[1]! >> 1) & 0b11;
  return version !== 0b01 && layer !== 0b00 && head[2]! >> 4 !== 0b1111 && ((head[2]! >> 2) & 0b11) !== 0b11;
}

function isAdtsFrame(head: Uint8Array): boolean {
  return head.length >= 7 && head[0] === 0xff && (head[1]! & 0xf6) === 0xf0;
}

function isIconDirectory(head: Uint8Array): boolean {
  return hasBytes(head, 0, [0, 0, 1, 0]) && head.length >= 22 && (head[4]! | (head[5]! << 8)) > 0 && head[9] === 0;
}

/** The kind of file the first bytes show (`png`, `zip`, `cfb` for an OLE2 compound file), or undefined: no signature. */
export function sniff(head: Uint8Array): string | undefined {
  if (hasBytes(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (hasBytes(head, 0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (hasText(head, 0, 'GIF87a') || hasText(head, 0, 'GIF89a')) return 'gif';
  if (hasText(head, 0, 'RIFF') && hasText(head, 8, 'WEBP')) return 'webp';
  if (hasText(head, 0, 'RIFF') && hasText(head, 8, 'WAVE')) return 'wav';
  if (hasText(head, 4, 'ftyp') && head.length >= 12) return isoBaseMediaKind(head);
  if (hasBytes(head, 0, [0x49, 0x49, 0x2a, 0x00]) || hasBytes(head, 0, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (hasText(head, 0, 'BM') && hasBytes(head, 6, [0, 0, 0, 0])) return 'bmp';
  if (hasText(head, 0, '%PDF-')) return 'pdf';
  if (hasBytes(head, 0, [0x50, 0x4b, 0x03, 0x04]) || hasBytes(head, 0, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (hasText(head, 0, 'ID3') || isMpegAudioFrame(head)) return 'mp3';
  if (hasText(head, 0, 'OggS')) return hasText(head, 28, 'OpusHead') ? 'opus' : 'ogg';
  if (isAdtsFrame(head)) return 'aac';
  if (hasBytes(head, 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'cfb';
  if (hasText(head, 0, '{\\rtf')) return 'rtf';
  if (isIconDirectory(head)) return 'ico';
  if (hasText(head, 0, 'fLaC')) return 'flac';
  if (hasBytes(head, 0, [0x1a, 0x45, 0xdf, 0xa3])) return Buffer.from(head).includes('webm', 0, 'latin1') ? 'webm' : 'mkv';
  return undefined;
}

/**
 * What `sniff` may say about a file of each format, and the extensions that name it. Formats
 * with no `sniffsAs` (text) have no signature: a file of theirs that shows one is something else.
 */
const knownFormats: Record<string, { sniffsAs?: readonly string[]; extensions: readonly string[] }> = {
  png: { sniffsAs: ['png'], extensions: ['png'] },
  jpeg: { sniffsAs: ['jpeg'], extensions: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  gif: { sniffsAs: ['gif'], extensions: ['gif'] },
  webp: { sniffsAs: ['webp'], extensions: ['webp'] },
  avif: { sniffsAs: ['avif'], extensions: ['avif'] },
  heic: { sniffsAs: ['heic'], extensions: ['heic'] },
  heif: { sniffsAs: ['heic'], extensions: ['heif', 'hif'] },
  tiff: { sniffsAs: ['tiff'], extensions: ['tif', 'tiff'] },
  bmp: { sniffsAs: ['bmp'], extensions: ['bmp'] },
  ico: { sniffsAs: ['ico'], extensions: ['ico'] },
  svg: { extensions: ['svg'] },
  pdf: { sniffsAs: ['pdf'], extensions: ['pdf'] },
  zip: { sniffsAs: ['zip'], extensions: ['zip'] },
  docx: { sniffsAs: ['zip'], extensions: ['docx'] },
  xlsx: { sniffsAs: ['zip'], extensions: ['xlsx'] },
  pptx: { sniffsAs: ['zip'], extensions: ['pptx'] },
  odt: { sniffsAs: ['zip'], extensions: ['odt'] },
  ods: { sniffsAs: ['zip'], extensions: ['ods'] },
  odp: { sniffsAs: ['zip'], extensions: ['odp'] },
  epub: { sniffsAs: ['zip'], extensions: ['epub'] },
  doc: { sniffsAs: ['cfb'], extensions: ['doc'] },
  xls: { sniffsAs: ['cfb'], extensions: ['xls'] },
  ppt: { sniffsAs: ['cfb'], extensions: ['ppt'] },
  rtf: { sniffsAs: ['rtf'], extensions: ['rtf'] },
  mp3: { sniffsAs: ['mp3'], extensions: ['mp3'] },
  wav: { sniffsAs: ['wav'], extensions: ['wav'] },
  ogg: { sniffsAs: ['ogg', 'opus'], extensions: ['ogg', 'oga'] },
  opus: { sniffsAs: ['opus'], extensions: ['opus'] },
  aac: { sniffsAs: ['aac'], extensions: ['aac'] },
  flac: { sniffsAs: ['flac'], extensions: ['flac'] },
  m4a: { sniffsAs: ['m4a', 'mp4'], extensions: ['m4a'] },
  mp4: { sniffsAs: ['mp4', 'm4a', 'mov'], extensions: ['mp4', 'm4v'] },
  mov: { sniffsAs: ['mov', 'mp4'], extensions: ['mov', 'qt'] },
  webm: { sniffsAs: ['webm', 'mkv'], extensions: ['webm'] },
  mkv: { sniffsAs: ['mkv', 'webm'], extensions: ['mkv'] },
  csv: { extensions: ['csv'] },
  tsv: { extensions: ['tsv'] },
  json: { extensions: ['json'] },
  ndjson: { extensions: ['ndjson', 'jsonl'] },
  yaml: { extensions: ['yaml', 'yml'] },
  xml: { extensions: ['xml'] },
  toml: { extensions: ['toml'] },
  txt: { extensions: ['txt'] },
  md: { extensions: ['md', 'markdown'] },
  html: { extensions: ['html', 'htm'] },
};

const formatByExtension = new Map(Object.entries(knownFormats).flatMap(([format, known]) => known.extensions.map((extension) => [extension, format] as const)));

/** The known format a file name's extension names (`photo.JPG` → `jpeg`). */
export function formatOfFileName(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? undefined : formatByExtension.get(fileName.slice(dot + 1).toLowerCase());
}

/**
 * Whether a file whose first bytes sniff as `sniffed` may be a `format` file. A format this
 * table does not know (a third-party plugin's) has no signature here: like a text format, it
 * agrees only with bytes that show none of the known ones.
 */
export function signatureAgrees(format: string, sniffed: string | undefined): boolean {
  const accepted = knownFormats[format]?.sniffsAs;
  return accepted === undefined ? sniffed === undefined : sniffed !== undefined && accepted.includes(sniffed);
}

/** Zip containers: their central directory is read and measured. */
export const zipBasedFormats: ReadonlySet<string> = new Set(['zip', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub']);
/** Raster images: their header size is checked, and they may hide nothing after or inside their data. */
export const rasterImageFormats: ReadonlySet<string> = new Set(['png', 'jpeg', 'gif', 'webp', 'avif', 'heic', 'heif', 'tiff', 'bmp', 'ico']);
export const mediaFormats: ReadonlySet<string> = new Set(['mp3', 'wav', 'flac', 'ogg', 'opus', 'aac', 'm4a', 'mp4', 'mov', 'webm', 'mkv']);
