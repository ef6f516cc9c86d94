/** Longest name kept, in characters; file systems commonly cap a name at 255 bytes. */
const maxNameLength = 200;

/**
 * The stored name of an upload: the base name only (no directories), without control
 * characters or leading dots, never empty.
 *
 * @example sanitiseFileName('../../etc/.passwd') // 'passwd'
 */
export function sanitiseFileName(raw: string | undefined, fallback = 'upload'): string {
  const baseName = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = baseName
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim()
    .replace(/^\.+/, '');
  // Count code points, not UTF-16 units, so that shortening never splits a character.
  const characters = Array.from(cleaned);
  if (characters.length <= maxNameLength) return cleaned || fallback;
  // Keep the extension when shortening: it is what the format fallback reads.
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  return characters.slice(0, maxNameLength - Array.from(extension).length).join('') + extension;
}
