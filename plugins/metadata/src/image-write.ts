import type { CheckedEdit } from './editable.js';
import { encodeArgumentValue } from './exiftool.js';

/**
 * exiftool deletions for `anonymize`, by what they remove. Wildcards and whole groups catch the
 * same value wherever a camera or editor put it (EXIF, XMP, IPTC, PNG text, maker notes).
 */
export const anonymizeTags = {
  location: ['GPS:all', 'XMP-exif:GPS*', 'XMP-iptcExt:LocationCreated', 'XMP-iptcExt:LocationShown'],
  serialNumbers: ['*SerialNumber', 'MakerNotes:all'],
  names: [
    'EXIF:Artist',
    'EXIF:XPAuthor',
    'EXIF:OwnerName',
    'EXIF:Copyright',
    'IPTC:By-line',
    'IPTC:By-lineTitle',
    'IPTC:Writer-Editor',
    'IPTC:CopyrightNotice',
    'IPTC:Credit',
    'IPTC:Contact',
    'XMP-dc:Creator',
    'XMP-dc:Contributor',
    'XMP-dc:Publisher',
    'XMP-dc:Rights',
    'XMP-tiff:Artist',
    'XMP-tiff:Copyright',
    'XMP-photoshop:CaptionWriter',
    'XMP-photoshop:AuthorsPosition',
    'XMP-photoshop:Credit',
    'XMP-iptcCore:CreatorContactInfo',
    'XMP-xmpRights:all',
    'XMP-plus:all',
    'XMP-aux:OwnerName',
    'XMP-exifEX:CameraOwnerName',
    'PNG:Author',
    'PNG:Copyright',
  ],
  software: ['EXIF:Software', 'EXIF:ProcessingSoftware', 'EXIF:HostComputer', 'XMP-xmp:CreatorTool', 'XMP-tiff:Software', 'PNG:Software', 'IPTC:OriginatingProgram', 'IPTC:ProgramVersion', 'XMP-x:XMPToolkit'],
  editHistory: ['XMP-xmpMM:all', 'XMP-photoshop:DocumentAncestors', 'XMP-crs:all', 'IFD1:all'],
} as const;

/** The exiftool tag a section key writes to. */
function exiftoolTag(section: string, key: string): string {
  if (section === 'XMP') {
    const [namespace, tag] = key.split(':');
    return `XMP-${namespace}:${tag}`;
  }
  return `${section}:${key}`;
}

/** GPS coordinates are written with their hemisphere (a signed number sets both). */
const companionTags: Record<string, string> = {
  'EXIF:GPSLatitude': 'EXIF:GPSLatitudeRef',
  'EXIF:GPSLongitude': 'EXIF:GPSLongitudeRef',
  'EXIF:GPSAltitude': 'EXIF:GPSAltitudeRef',
};

/**
 * The exiftool arguments that write `inputPath` to `outputPath` with `edit` applied. Order
 * matters: deletions first, then what is set, so that a set value survives a strip.
 */
export function exiftoolWriteArgs(inputPath: string, outputPath: string, edit: CheckedEdit): string[] {
  const args = ['-E', '-o', outputPath];
  if (edit.strip_all) {
    // Everything but the colour profile (and Adobe's colour transform flag, which CMYK JPEGs
    // need to look right), then the orientation copied back from the original.
    args.push('-all=', '--ICC_Profile:all', '--Adobe:all', '-tagsFromFile', '@', '-EXIF:Orientation');
  }
  if (edit.anonymize) {
    for (const tags of Object.values(anonymizeTags)) for (const tag of tags) args.push(`-${tag}=`);
  }
  // exiftool stamps its own name on any XMP it writes: software the user did not ask for.
  args.push('-XMP-x:XMPToolkit=');
  let writesIptc = false;
  for (const [section, keys] of edit.remove) {
    for (const key of keys) {
      const tag = exiftoolTag(section, key);
      args.push(`-${tag}=`);
      const companion = companionTags[tag];
      if (companion) args.push(`-${companion}=`);
    }
  }
  for (const [section, values] of edit.set) {
    for (const [key, value] of values) {
      const tag = exiftoolTag(section, key);
      if (section === 'IPTC') writesIptc = true;
      args.push(`-${tag}=${encodeArgumentValue(value)}`);
      const companion = companionTags[tag];
      if (companion) args.push(`-${companion}=${encodeArgumentValue(value)}`);
    }
  }
  // IPTC has no encoding of its own: say UTF-8, or readers guess Latin-1.
  if (writesIptc) args.push('-IPTC:CodedCharacterSet=UTF8');
  args.push(inputPath);
  return args;
}
