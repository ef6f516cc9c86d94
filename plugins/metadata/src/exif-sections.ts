import type { RawTags } from './exiftool.js';
import type { SectionCollector } from './values.js';

/** exiftool's family-0 groups, renamed to the section names of a report. */
const sectionOfGroup: Record<string, string> = {
  ICC_Profile: 'ICC',
};

/**
 * Groups left out: exiftool's own version and the file system (names, dates and permissions of
 * the job folder, not the file's); ID3 and Vorbis come from music-metadata, which names them the
 * way this package writes them; office documents' XML and ZIP from this package's own reader.
 */
const skippedGroups = new Set(['ExifTool', 'ID3', 'Vorbis', 'XML', 'ZIP']);
const skippedFamily1 = new Set(['System']);

/** EXIF sub-directories whose tags are named without a prefix (the main image's). */
const mainExifDirectories = new Set(['IFD0', 'ExifIFD', 'GPS', 'InteropIFD']);

interface TagName {
  group: string;
  family1: string | undefined;
  tag: string;
}

function splitTagName(name: string): TagName | undefined {
  const parts = name.split(':');
  if (parts.length === 2) return { group: parts[0]!, family1: undefined, tag: parts[1]! };
  if (parts.length === 3) return { group: parts[0]!, family1: parts[1]!, tag: parts[2]! };
  return undefined;
}

/** The section key of a tag: the tag's name, prefixed by its sub-group where that matters. */
export function sectionKey({ group, family1, tag }: TagName): string {
  if (family1 === undefined || family1 === group) return tag;
  if (group === 'EXIF' && mainExifDirectories.has(family1)) return tag;
  // XMP-dc:Title reads as dc:Title, the namespace prefix people know.
  if (group === 'XMP' && family1.startsWith('XMP-')) return `${family1.slice(4)}:${tag}`;
  return `${family1}:${tag}`;
}

export function sectionOf(group: string): string {
  return sectionOfGroup[group] ?? group;
}

/** Adds exiftool's tags to `collector`, by section. */
export function collectExifSections(raw: RawTags, collector: SectionCollector, options: { skip?: readonly string[] } = {}): void {
  const skip = new Set([...skippedGroups, ...(options.skip ?? [])]);
  for (const [name, value] of Object.entries(raw)) {
    const parsed = splitTagName(name);
    if (!parsed || skip.has(parsed.group) || (parsed.family1 && skippedFamily1.has(parsed.family1))) continue;
    collector.add(sectionOf(parsed.group), sectionKey(parsed), value);
  }
}

/** exiftool's Error tag (group ExifTool) for a file it could not make sense of. */
export function exiftoolError(raw: RawTags): string | undefined {
  const error = raw['ExifTool:Error'];
  return typeof error === 'string' ? error : undefined;
}
