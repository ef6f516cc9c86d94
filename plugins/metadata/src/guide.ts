import { imageEditable, imageSectionsByFormat, mediaSectionByFormat, mediaTagKeys, pdfEditable } from './editable.js';
import { anonymizeTags } from './image-write.js';
import { mediaAnonymizeKeys } from './media-write.js';
import { officeAnonymizeKeys, officeEditableKeys } from './office.js';
import { pdfAnonymizeKeys } from './pdf-write.js';
import { readableFormatIds, writableFormatIds } from './formats.js';

/**
 * `GET /api/help/metadata`: what each container holds, what can be edited and what anonymize
 * and strip_all remove. Plain data, built from the same tables write() uses.
 */
export const metadataGuide = {
  readableFormats: [...readableFormatIds],
  writableFormats: [...writableFormatIds],
  containers: [
    { section: 'EXIF', holds: 'Camera settings, dates, orientation, GPS position, camera and lens serial numbers, owner and artist names, software.', formats: ['jpeg', 'tiff', 'webp', 'png', 'heic', 'heif', 'avif'], editable: imageEditable.EXIF },
    { section: 'XMP', holds: 'Adobe XML metadata: title, description, creator, rights, keywords, rating, and the editing history (xmpMM) editors record.', formats: ['jpeg', 'tiff', 'webp', 'png', 'pdf', 'gif', 'svg'], editable: imageEditable.XMP },
    { section: 'IPTC', holds: 'Press metadata: headline, caption, by-line, credit, keywords, place names.', formats: ['jpeg', 'tiff'], editable: imageEditable.IPTC },
    { section: 'ICC', holds: 'The colour profile: how the pixel values map to colours. Read only; always kept.', formats: ['jpeg', 'png', 'tiff', 'webp', 'heic', 'avif', 'pdf'], editable: [] },
    { section: 'PNG', holds: 'PNG text chunks (Title, Author, Description, Software, Creation Time…) and the image header.', formats: ['png'], editable: imageEditable.PNG },
    { section: 'PDF', holds: 'The document information dictionary: title, author, subject, keywords, creator and producer software, dates. The XMP packet of a PDF shows under XMP.', formats: ['pdf'], editable: [...pdfEditable] },
    { section: 'ID3', holds: 'MP3 tags (ID3v2, and ID3v1 if present), named as ffmpeg names them: title, artist, album, date, genre, comment…', formats: ['mp3'], editable: mediaTagKeys },
    { section: 'Vorbis', holds: 'Vorbis comments of Ogg, Opus and FLAC files: title, artist, album, date, genre, comment…', formats: ['ogg', 'opus', 'flac'], editable: mediaTagKeys },
    { section: 'MP4', holds: 'iTunes-style tags of MP4, M4A and MOV files: title, artist, album, date, genre, comment, encoder…', formats: ['m4a', 'mp4', 'mov'], editable: mediaTagKeys },
    { section: 'QuickTime', holds: 'The QuickTime/MP4 structure as exiftool reads it: creation dates, tracks, camera make/model and location keys. Read only.', formats: ['m4a', 'mp4', 'mov'], editable: [] },
    { section: 'Matroska', holds: 'Container tags of Matroska and WebM files.', formats: ['mkv', 'webm'], editable: mediaTagKeys },
    { section: 'Office', holds: 'Document properties: title, subject, creator, keywords, description, last modified by, dates, revision; for OOXML also the application, company and manager (docProps/app.xml); for ODF its meta.xml, with user-defined properties as custom:NAME.', formats: ['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp'], editable: [...new Set([...officeEditableKeys.ooxml, ...officeEditableKeys.odf])] },
    { section: 'Streams', holds: 'ffprobe: the container, duration, bit rate, and each stream\'s codec, size, frame or sample rate, colour and rotation. Read only.', formats: ['mp3', 'wav', 'ogg', 'opus', 'flac', 'm4a', 'aac', 'mp4', 'mov', 'webm', 'mkv'], editable: [] },
    { section: 'File', holds: 'What exiftool learns from the file itself: type, MIME type, image size, encoding. Read only.', formats: ['all but office documents'], editable: [] },
    { section: 'Composite', holds: 'Values exiftool derives from others: image size, megapixels, GPS position in signed degrees, durations. Read only.', formats: ['all but office documents'], editable: [] },
  ],
  editableSectionsByFormat: {
    ...Object.fromEntries(Object.entries(imageSectionsByFormat).map(([format, sections]) => [format, [...sections]])),
    pdf: ['PDF'],
    ...Object.fromEntries(Object.entries(mediaSectionByFormat).map(([format, section]) => [format, [section]])),
    docx: ['Office'],
    xlsx: ['Office'],
    pptx: ['Office'],
    odt: ['Office'],
    ods: ['Office'],
    odp: ['Office'],
  },
  common: {
    title: 'XMP dc:Title, PDF Title, Office title, the audio title tag, IPTC ObjectName or PNG Title.',
    author: 'XMP dc:Creator, PDF Author, Office creator, EXIF Artist, IPTC By-line, PNG Author or the audio artist.',
    created: 'EXIF DateTimeOriginal/CreateDate, XMP CreateDate, PDF CreateDate, Office created, PNG Creation Time, QuickTime CreateDate or the audio date; ISO 8601.',
    modified: 'EXIF ModifyDate, XMP ModifyDate, PDF ModifyDate or Office modified; ISO 8601.',
    dimensions: 'The first video stream, or the image size.',
    duration: 'Seconds, from ffprobe or music-metadata.',
    gps: 'Signed decimal degrees (south and west negative) and metres.',
    camera: 'Make and model.',
    software: 'EXIF Software, XMP CreatorTool, PNG Software, PDF Creator/Producer, Office application or the audio encoder.',
  },
  anonymize: {
    summary: 'Removes GPS positions, serial numbers, owner/author/creator names, software and editing history; keeps orientation, the colour profile and everything else (titles, descriptions, dates, camera make and model, exposure).',
    images: {
      location: [...anonymizeTags.location],
      serialNumbers: [...anonymizeTags.serialNumbers],
      names: [...anonymizeTags.names],
      software: [...anonymizeTags.software],
      editHistory: [...anonymizeTags.editHistory],
    },
    pdf: { information: pdfAnonymizeKeys, also: 'the XMP metadata packet and PieceInfo (editing-application data); unreferenced objects left by earlier incremental saves are dropped' },
    media: { tags: mediaAnonymizeKeys, also: 'data streams (GPS tracks, device telemetry) and per-stream encoder tags' },
    office: { properties: officeAnonymizeKeys },
    notRemoved: 'Names inside the content itself: tracked changes and comment authors in office documents, text in the image or the sound. DOCX custom properties (docProps/custom.xml) are left as they are.',
  },
  stripAll: {
    summary: 'Removes every value that can be removed, but orientation and the colour profile.',
    images: 'All metadata segments and chunks (EXIF, XMP, IPTC, PNG text, maker notes, thumbnails, comments); the ICC profile and the EXIF Orientation are kept.',
    pdf: 'The whole information dictionary and the XMP packet; an output intent\'s colour profile is kept.',
    media: 'All container and stream tags and data streams; the streams themselves (and cover art, chapters) are copied unchanged.',
    office: 'Every document property; statistics (pages, words) stay.',
  },
  edit: {
    set: 'set: { SECTION: { KEY: value } } — only keys listed in the file report\'s `editable`; an empty string removes the key.',
    remove: 'remove: { SECTION: [KEY] } — same keys.',
    order: 'strip_all and anonymize apply first, then remove, then set: a value set in the same request is kept.',
    notes: [
      'EXIF GPSLatitude/GPSLongitude/GPSAltitude take signed numbers; the hemisphere (Ref) tag is written with them.',
      'Office dates are ISO 8601 (2024-05-01T12:00:00Z); PDF dates ISO 8601 or exiftool form (2024:05:01 12:00:00).',
      'Audio and video files are rewritten by copying their streams (no re-encoding); exiftool rewrites images without touching the pixels.',
    ],
  },
} as const;
