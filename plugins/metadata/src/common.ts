import type { CommonMetadata } from '@conveyor/contracts';
import type { MetadataValue, Sections } from './values.js';

/** Where each common field is looked for, first match wins: [section, key]. */
const sources = {
  title: [['XMP', 'dc:Title'], ['PDF', 'Title'], ['Office', 'title'], ['ID3', 'title'], ['Vorbis', 'title'], ['MP4', 'title'], ['Matroska', 'title'], ['RIFF', 'Title'], ['IPTC', 'ObjectName'], ['PNG', 'Title'], ['EXIF', 'XPTitle'], ['QuickTime', 'ItemList:Title'], ['QuickTime', 'UserData:Title']],
  author: [['XMP', 'dc:Creator'], ['PDF', 'Author'], ['Office', 'creator'], ['EXIF', 'Artist'], ['EXIF', 'XPAuthor'], ['IPTC', 'By-line'], ['PNG', 'Author'], ['PNG', 'Artist'], ['ID3', 'artist'], ['Vorbis', 'artist'], ['MP4', 'artist'], ['Matroska', 'artist'], ['RIFF', 'Artist'], ['QuickTime', 'ItemList:Artist'], ['QuickTime', 'Keys:Author']],
  created: [['EXIF', 'DateTimeOriginal'], ['EXIF', 'CreateDate'], ['XMP', 'xmp:CreateDate'], ['XMP', 'photoshop:DateCreated'], ['PDF', 'CreateDate'], ['Office', 'created'], ['PNG', 'CreationTime'], ['QuickTime', 'CreateDate'], ['QuickTime', 'Keys:CreationDate'], ['ID3', 'date'], ['Vorbis', 'date'], ['MP4', 'date'], ['Matroska', 'date'], ['Matroska', 'creation_time'], ['RIFF', 'DateCreated']],
  modified: [['EXIF', 'ModifyDate'], ['XMP', 'xmp:ModifyDate'], ['PDF', 'ModifyDate'], ['Office', 'modified'], ['PNG', 'ModifyDate'], ['QuickTime', 'ModifyDate']],
  camera: [['EXIF', 'Model'], ['XMP', 'tiff:Model'], ['QuickTime', 'Keys:Model'], ['QuickTime', 'UserData:Model']],
  cameraMake: [['EXIF', 'Make'], ['XMP', 'tiff:Make'], ['QuickTime', 'Keys:Make'], ['QuickTime', 'UserData:Make']],
  software: [['EXIF', 'Software'], ['XMP', 'xmp:CreatorTool'], ['PNG', 'Software'], ['PDF', 'Creator'], ['PDF', 'Producer'], ['Office', 'application'], ['ID3', 'encoder'], ['Vorbis', 'encoder'], ['MP4', 'encoder'], ['Matroska', 'encoder'], ['RIFF', 'Software'], ['QuickTime', 'ItemList:Encoder'], ['QuickTime', 'Keys:Software']],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

function pick(sections: Sections, candidates: readonly (readonly [string, string])[]): MetadataValue | undefined {
  for (const [section, key] of candidates) {
    const value = sections[section]?.[key];
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    return value;
  }
  return undefined;
}

function text(value: MetadataValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/**
 * An exiftool date (`2024:05:01 12:30:00+02:00`) or any ISO-like one as ISO 8601; exiftool's
 * "no date" (all zeros) counts as absent.
 */
export function normaliseDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const exif = /^(\d{4}):(\d{2}):(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?/.exec(value);
  if (exif) {
    const [, year, month, day, hour, minute, second, fraction, zone] = exif;
    if (/^0+$/.test(`${year}${month}${day}`)) return undefined;
    if (!hour) return `${year}-${month}-${day}`;
    return `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${fraction ?? ''}${zone ?? ''}`;
  }
  return value;
}

/** The first candidate that is a real date: QuickTime's all-zero "no date" is passed over. */
function firstDate(sections: Sections, candidates: readonly (readonly [string, string])[]): string | undefined {
  for (const candidate of candidates) {
    const date = normaliseDate(text(pick(sections, [candidate])));
    if (date) return date;
  }
  return undefined;
}

function numberOf(value: MetadataValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const parsed = parseFloat(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function gpsOf(sections: Sections): CommonMetadata['gps'] {
  const composite = sections.Composite ?? {};
  const latitude = numberOf(composite.GPSLatitude);
  const longitude = numberOf(composite.GPSLongitude);
  if (latitude === undefined || longitude === undefined) return undefined;
  // Composite only has an altitude when the EXIF one has its reference (above/below sea level).
  const altitudeText = composite.GPSAltitude ?? sections.EXIF?.GPSAltitude;
  const altitudeRef = composite.GPSAltitudeRef ?? sections.EXIF?.GPSAltitudeRef;
  let altitude = numberOf(altitudeText);
  if (altitude !== undefined && typeof altitudeText === 'string' && /below/i.test(altitudeText)) altitude = -Math.abs(altitude);
  if (altitude !== undefined && typeof altitudeRef === 'string' && /below/i.test(altitudeRef)) altitude = -Math.abs(altitude);
  return { latitude, longitude, ...(altitude !== undefined ? { altitude } : {}) };
}

function dimensionsOf(sections: Sections): CommonMetadata['dimensions'] {
  const streams = sections.Streams ?? {};
  for (let index = 0; index < 16; index += 1) {
    if (streams[`stream${index}.codec_type`] === 'video' && streams[`stream${index}.attached_pic`] !== true) {
      const width = numberOf(streams[`stream${index}.width`]);
      const height = numberOf(streams[`stream${index}.height`]);
      if (width && height) return { width, height };
    }
  }
  const size = sections.Composite?.ImageSize;
  if (typeof size === 'string') {
    const match = /^(\d+(?:\.\d+)?)[x ](\d+(?:\.\d+)?)$/.exec(size);
    if (match) return { width: Number(match[1]), height: Number(match[2]) };
  }
  const width = numberOf(sections.File?.ImageWidth);
  const height = numberOf(sections.File?.ImageHeight);
  if (width && height) return { width, height };
  return undefined;
}

/** The normalised view of a report's sections. */
export function commonMetadata(sections: Sections, duration: number | undefined): CommonMetadata {
  const common: CommonMetadata = {};
  const title = text(pick(sections, sources.title));
  if (title) common.title = title;
  const author = text(pick(sections, sources.author));
  if (author) common.author = author;
  const created = firstDate(sections, sources.created);
  if (created) common.created = created;
  const modified = firstDate(sections, sources.modified);
  if (modified) common.modified = modified;
  const dimensions = dimensionsOf(sections);
  if (dimensions) common.dimensions = dimensions;
  if (duration !== undefined && Number.isFinite(duration) && duration > 0) common.duration = duration;
  const gps = gpsOf(sections);
  if (gps) common.gps = gps;
  const model = text(pick(sections, sources.camera));
  const make = text(pick(sections, sources.cameraMake));
  // "Canon Canon EOS 5D": many models already start with the make.
  const camera = model && make && !model.toLowerCase().startsWith(make.toLowerCase()) ? `${make} ${model}` : (model ?? make);
  if (camera) common.camera = camera;
  const software = text(pick(sections, sources.software));
  if (software) common.software = software;
  return common;
}
