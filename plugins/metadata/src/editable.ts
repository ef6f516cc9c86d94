import { PluginError, type MetadataEdit } from '@conveyor/contracts';

/** What write() may set or remove, by section, for each image format exiftool rewrites. */
export const imageEditable: Record<string, readonly string[]> = {
  EXIF: ['Artist', 'Copyright', 'ImageDescription', 'DateTimeOriginal', 'CreateDate', 'ModifyDate', 'Make', 'Model', 'LensModel', 'Software', 'UserComment', 'OwnerName', 'SerialNumber', 'XPTitle', 'XPAuthor', 'XPComment', 'XPKeywords', 'GPSLatitude', 'GPSLongitude', 'GPSAltitude'],
  XMP: ['dc:Title', 'dc:Description', 'dc:Creator', 'dc:Rights', 'dc:Subject', 'xmp:CreatorTool', 'xmp:CreateDate', 'xmp:ModifyDate', 'xmp:Rating', 'photoshop:Headline', 'photoshop:Credit', 'photoshop:City', 'photoshop:Country'],
  IPTC: ['ObjectName', 'Caption-Abstract', 'By-line', 'CopyrightNotice', 'Keywords', 'Headline', 'Credit', 'Source', 'City', 'Country-PrimaryLocationName'],
  PNG: ['Title', 'Author', 'Description', 'Copyright', 'Comment', 'Software', 'CreationTime', 'Source', 'Disclaimer', 'Warning'],
};

/** The sections each image format carries and exiftool writes. */
export const imageSectionsByFormat: Record<string, readonly string[]> = {
  jpeg: ['EXIF', 'XMP', 'IPTC'],
  tiff: ['EXIF', 'XMP', 'IPTC'],
  png: ['PNG', 'EXIF', 'XMP'],
  webp: ['EXIF', 'XMP'],
};

export const pdfEditable = ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreateDate', 'ModifyDate'] as const;

/** Tag keys of audio and video containers that ffmpeg writes under these names. */
export const mediaTagKeys = ['title', 'artist', 'album', 'album_artist', 'date', 'genre', 'comment', 'composer', 'track', 'disc', 'copyright', 'publisher', 'encoded_by', 'encoder', 'language'];

/** The tag section of each format ffmpeg rewrites. */
export const mediaSectionByFormat: Record<string, string> = {
  mp3: 'ID3',
  ogg: 'Vorbis',
  opus: 'Vorbis',
  flac: 'Vorbis',
  m4a: 'MP4',
  mp4: 'MP4',
  mov: 'MP4',
  mkv: 'Matroska',
  webm: 'Matroska',
};

/** A tag name ffmpeg can take as `-metadata key=value`: no `=`, nothing odd. */
export const safeMediaKey = /^[A-Za-z0-9][\w .:-]{0,63}$/;

/** A value set or removed, after the edit was checked against `editable`. */
export interface CheckedEdit {
  anonymize: boolean;
  strip_all: boolean;
  /** section → key → value; an empty string is a removal. */
  set: Map<string, Map<string, string | number>>;
  remove: Map<string, Set<string>>;
}

const maxValueLength = 10_000;

/**
 * Checks every key of `set` and `remove` against `editable` and turns the edit into maps;
 * an unknown key is a PluginError('invalid_parameter') naming it.
 */
export function checkEdit(edit: Omit<MetadataEdit, 'as_copy'>, editable: Record<string, string[]>, format: string): CheckedEdit {
  const checked: CheckedEdit = { anonymize: edit.anonymize ?? false, strip_all: edit.strip_all ?? false, set: new Map(), remove: new Map() };
  const allowed = (section: string, key: string) => {
    if (!Object.hasOwn(editable, section) || !editable[section]!.includes(key)) {
      const sections = Object.keys(editable);
      const hint = Object.hasOwn(editable, section)
        ? `editable ${section} keys: ${editable[section]!.join(', ')}`
        : sections.length > 0
          ? `editable sections: ${sections.join(', ')}`
          : `nothing is editable in a ${format} file`;
      throw new PluginError('invalid_parameter', `${section}.${key} cannot be edited in this ${format} file (${hint})`);
    }
  };
  for (const [section, values] of Object.entries(edit.set ?? {})) {
    for (const [key, value] of Object.entries(values)) {
      allowed(section, key);
      if (typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new PluginError('invalid_parameter', `${section}.${key} must be a string or a finite number`);
      }
      if (String(value).length > maxValueLength) throw new PluginError('invalid_parameter', `${section}.${key} is longer than ${maxValueLength} characters`);
      if (value === '') {
        const removed = checked.remove.get(section) ?? new Set<string>();
        removed.add(key);
        checked.remove.set(section, removed);
        continue;
      }
      const target = checked.set.get(section) ?? new Map<string, string | number>();
      target.set(key, value);
      checked.set.set(section, target);
    }
  }
  for (const [section, keys] of Object.entries(edit.remove ?? {})) {
    for (const key of keys) {
      allowed(section, key);
      if (checked.set.get(section)?.has(key)) throw new PluginError('invalid_parameter', `${section}.${key} is both set and removed`);
      const removed = checked.remove.get(section) ?? new Set<string>();
      removed.add(key);
      checked.remove.set(section, removed);
    }
  }
  return checked;
}

export function isEmptyEdit(edit: CheckedEdit): boolean {
  return !edit.anonymize && !edit.strip_all && edit.set.size === 0 && edit.remove.size === 0;
}
