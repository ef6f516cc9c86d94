/**
 * What a file's first bytes show (magic numbers), and the formats those signatures and file
 * extensions name. The ingress decides an upload's format with it and the scanner checks that
 * decision again from the stored file; both must read the bytes alike, hence one table here,
 * in the contracts that plugins depend on.
 */

/** How many leading bytes `sniffFormat` needs to see; every signature below fits in them. */
export const sniffHeadLength = 64;

export interface KnownFileFormat {
  readonly format: string;
  readonly mime: string;
  readonly extensions: readonly string[];
  /**
   * What `sniffFormat` may say about a file of this format. Absent: the format has no
   * signature (text), so any file that sniffs as something else contradicts it.
   * Container formats list their container (a .docx sniffs as zip).
   */
  readonly sniffsAs?: readonly string[];
}

const knownFormats: readonly KnownFileFormat[] = [
  { format: 'png', mime: 'image/png', extensions: ['png'], sniffsAs: ['png'] },
  { format: 'jpeg', mime: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'], sniffsAs: ['jpeg'] },
  { format: 'gif', mime: 'image/gif', extensions: ['gif'], sniffsAs: ['gif'] },
  { format: 'webp', mime: 'image/webp', extensions: ['webp'], sniffsAs: ['webp'] },
  { format: 'avif', mime: 'image/avif', extensions: ['avif'], sniffsAs: ['avif'] },
  { format: 'heic', mime: 'image/heic', extensions: ['heic'], sniffsAs: ['heic'] },
  { format: 'heif', mime: 'image/heif', extensions: ['heif', 'hif'], sniffsAs: ['heic'] },
  { format: 'tiff', mime: 'image/tiff', extensions: ['tif', 'tiff'], sniffsAs: ['tiff'] },
  { format: 'bmp', mime: 'image/bmp', extensions: ['bmp'], sniffsAs: ['bmp'] },
  { format: 'ico', mime: 'image/vnd.microsoft.icon', extensions: ['ico'], sniffsAs: ['ico'] },
  { format: 'svg', mime: 'image/svg+xml', extensions: ['svg'] },
  { format: 'pdf', mime: 'application/pdf', extensions: ['pdf'], sniffsAs: ['pdf'] },
  { format: 'zip', mime: 'application/zip', extensions: ['zip'], sniffsAs: ['zip'] },
  { format: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], sniffsAs: ['zip'] },
  { format: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], sniffsAs: ['zip'] },
  { format: 'pptx', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'], sniffsAs: ['zip'] },
  { format: 'odt', mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'], sniffsAs: ['zip'] },
  { format: 'ods', mime: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'], sniffsAs: ['zip'] },
  { format: 'odp', mime: 'application/vnd.oasis.opendocument.presentation', extensions: ['odp'], sniffsAs: ['zip'] },
  // Legacy Office files are OLE2 compound files; only the name tells which application made one.
  { format: 'doc', mime: 'application/msword', extensions: ['doc'], sniffsAs: ['cfb'] },
  { format: 'xls', mime: 'application/vnd.ms-excel', extensions: ['xls'], sniffsAs: ['cfb'] },
  { format: 'ppt', mime: 'application/vnd.ms-powerpoint', extensions: ['ppt'], sniffsAs: ['cfb'] },
  { format: 'rtf', mime: 'application/rtf', extensions: ['rtf'], sniffsAs: ['rtf'] },
  { format: 'epub', mime: 'application/epub+zip', extensions: ['epub'], sniffsAs: ['zip'] },
  { format: 'mp3', mime: 'audio/mpeg', extensions: ['mp3'], sniffsAs: ['mp3'] },
  { format: 'wav', mime: 'audio/wav', extensions: ['wav'], sniffsAs: ['wav'] },
  // Ogg is a container: an .ogg may carry Opus as well as Vorbis.
  { format: 'ogg', mime: 'audio/ogg', extensions: ['ogg', 'oga'], sniffsAs: ['ogg', 'opus'] },
  { format: 'opus', mime: 'audio/opus', extensions: ['opus'], sniffsAs: ['opus'] },
  { format: 'aac', mime: 'audio/aac', extensions: ['aac'], sniffsAs: ['aac'] },
  { format: 'flac', mime: 'audio/flac', extensions: ['flac'], sniffsAs: ['flac'] },
  { format: 'm4a', mime: 'audio/mp4', extensions: ['m4a'], sniffsAs: ['m4a', 'mp4'] },
  { format: 'mp4', mime: 'video/mp4', extensions: ['mp4', 'm4v'], sniffsAs: ['mp4', 'm4a', 'mov'] },
  { format: 'mov', mime: 'video/quicktime', extensions: ['mov', 'qt'], sniffsAs: ['mov', 'mp4'] },
  // WebM is a Matroska profile: either name fits either doctype.
  { format: 'webm', mime: 'video/webm', extensions: ['webm'], sniffsAs: ['webm', 'mkv'] },
  { format: 'mkv', mime: 'video/x-matroska', extensions: ['mkv'], sniffsAs: ['mkv', 'webm'] },
  { format: 'csv', mime: 'text/csv', extensions: ['csv'] },
  { format: 'tsv', mime: 'text/tab-separated-values', extensions: ['tsv'] },
  { format: 'json', mime: 'application/json', extensions: ['json'] },
  { format: 'ndjson', mime: 'application/x-ndjson', extensions: ['ndjson', 'jsonl'] },
  { format: 'yaml', mime: 'application/yaml', extensions: ['yaml', 'yml'] },
  { format: 'xml', mime: 'application/xml', extensions: ['xml'] },
  { format: 'toml', mime: 'application/toml', extensions: ['toml'] },
  { format: 'txt', mime: 'text/plain', extensions: ['txt'] },
  { format: 'md', mime: 'text/markdown', extensions: ['md', 'markdown'] },
  { format: 'html', mime: 'text/html', extensions: ['html', 'htm'] },
];

const formatsById = new Map(knownFormats.map((known) => [known.format, known]));
const formatsByExtension = new Map(knownFormats.flatMap((known) => known.extensions.map((extension) => [extension, known] as const)));

function hasBytes(head: Uint8Array, offset: number, bytes: readonly number[]): boolean {
  if (head.length < offset + bytes.length) return false;
  return bytes.every((byte, index) => head[offset + index] === byte);
}

function hasText(head: Uint8Array, offset: number, text: string): boolean {
  return hasBytes(head, offset, [...text].map((character) => character.charCodeAt(0)));
}

function textAt(head: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...head.subarray(offset, offset + length));
}

/** ISO base media files (`....ftyp<brand>`): the brands say which kind of file it is. */
function isoBaseMediaFormat(head: Uint8Array): string {
  const boxSize = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  const brands = [textAt(head, 8, 4)];
  for (let offset = 16; offset + 4 <= Math.min(boxSize, head.length); offset += 4) brands.push(textAt(head, offset, 4));
  const major = brands[0]!;
  if (major === 'avif' || major === 'avis') return 'avif';
  if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx'].includes(major)) return 'heic';
  // mif1/msf1 only say "HEIF container": an AVIF announces itself among the compatible brands.
  if (major === 'mif1' || major === 'msf1') return brands.includes('avif') || brands.includes('avis') ? 'avif' : 'heic';
  if (major === 'qt  ') return 'mov';
  if (major === 'M4A ' || major === 'M4B ') return 'm4a';
  return 'mp4';
}

/** EBML (Matroska) files name their profile in the DocType element near the start. */
function matroskaFormat(head: Uint8Array): string {
  return Buffer.from(head).includes('webm', 0, 'latin1') ? 'webm' : 'mkv';
}

/**
 * An MPEG audio frame header: 11 sync bits, a defined version and layer, a usable bitrate
 * and sample rate. Checking all four keeps random 0xFF-led bytes (and AAC, layer 0) out.
 */
function isMpegAudioFrame(head: Uint8Array): boolean {
  if (head.length < 3 || head[0] !== 0xff || (head[1]! & 0xe0) !== 0xe0) return false;
  const version = (head[1]! >> 3) & 0b11;
  const layer = (head[1]! >> 1) & 0b11;
  const bitrate = head[2]! >> 4;
  const sampleRate = (head[2]! >> 2) & 0b11;
  return version !== 0b01 && layer !== 0b00 && bitrate !== 0b1111 && sampleRate !== 0b11;
}

/** An ADTS (raw AAC) frame header: 12 sync bits and layer 00, which MPEG audio never uses. */
function isAdtsFrame(head: Uint8Array): boolean {
  return head.length >= 7 && head[0] === 0xff && (head[1]! & 0xf6) === 0xf0;
}

/** An icon directory: reserved 0, type 1, at least one image, whose entry's reserved byte is 0. */
function isIconDirectory(head: Uint8Array): boolean {
  return hasBytes(head, 0, [0x00, 0x00, 0x01, 0x00]) && head.length >= 22 && (head[4]! | (head[5]! << 8)) > 0 && head[9] === 0;
}

/** Signatures that name a container but no format of their own: only a file name can say which. */
export const containerOnlySignatures: ReadonlySet<string> = new Set(['cfb']);

/**
 * The format the first bytes of a file show, or undefined when they match no signature.
 *
 * @example sniffFormat(Buffer.from('%PDF-1.7\n')) // 'pdf'
 */
export function sniffFormat(head: Uint8Array): string | undefined {
  if (hasBytes(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (hasBytes(head, 0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (hasText(head, 0, 'GIF87a') || hasText(head, 0, 'GIF89a')) return 'gif';
  if (hasText(head, 0, 'RIFF') && hasText(head, 8, 'WEBP')) return 'webp';
  if (hasText(head, 0, 'RIFF') && hasText(head, 8, 'WAVE')) return 'wav';
  if (hasText(head, 4, 'ftyp') && head.length >= 12) return isoBaseMediaFormat(head);
  if (hasBytes(head, 0, [0x49, 0x49, 0x2a, 0x00]) || hasBytes(head, 0, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  // "BM" alone is two letters of text; the header's reserved fields are zero in a real bitmap.
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
  if (hasBytes(head, 0, [0x1a, 0x45, 0xdf, 0xa3])) return matroskaFormat(head);
  return undefined;
}

/** A file name's extension, lower-cased (`photo.JPG` → `jpg`), if it has one. */
export function fileNameExtension(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0 || dot === fileName.length - 1) return undefined;
  return fileName.slice(dot + 1).toLowerCase();
}

/** The format a file name's extension names (`photo.JPG` → `jpeg`), if it is a known one. */
export function formatFromFileName(fileName: string): string | undefined {
  const extension = fileNameExtension(fileName);
  return extension === undefined ? undefined : formatsByExtension.get(extension)?.format;
}

/** The signatures, MIME type and extensions of a format id this table knows. */
export function knownFileFormat(format: string): KnownFileFormat | undefined {
  return formatsById.get(format);
}

/**
 * Whether a file whose first bytes sniff as `sniffed` may be a `format` file. A format this
 * table does not know (a third-party plugin's) has no signature here: like a text format, it
 * agrees only with bytes that show none of the known ones.
 */
export function signatureAgrees(format: string, sniffed: string | undefined): boolean {
  const accepted = formatsById.get(format)?.sniffsAs;
  return accepted === undefined ? sniffed === undefined : sniffed !== undefined && accepted.includes(sniffed);
}
