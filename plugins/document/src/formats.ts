import type { Format } from '@conveyor/contracts';

/** Which LibreOffice application opens a format; a conversion never leaves its family. */
export type DocumentFamily = 'text' | 'spreadsheet' | 'presentation';

export interface DocumentFormatTraits {
  family: DocumentFamily;
  /** A zip package (OOXML or ODF): its central directory is checked before LibreOffice sees it. */
  zipPackage: boolean;
  /** Read only: LibreOffice can still write it, but nobody should be handed a new .doc. */
  inputOnly: boolean;
}

const traits = {
  docx: { family: 'text', zipPackage: true, inputOnly: false },
  doc: { family: 'text', zipPackage: false, inputOnly: true },
  odt: { family: 'text', zipPackage: true, inputOnly: false },
  rtf: { family: 'text', zipPackage: false, inputOnly: false },
  txt: { family: 'text', zipPackage: false, inputOnly: false },
  html: { family: 'text', zipPackage: false, inputOnly: false },
  xlsx: { family: 'spreadsheet', zipPackage: true, inputOnly: false },
  xls: { family: 'spreadsheet', zipPackage: false, inputOnly: true },
  ods: { family: 'spreadsheet', zipPackage: true, inputOnly: false },
  csv: { family: 'spreadsheet', zipPackage: false, inputOnly: false },
  pptx: { family: 'presentation', zipPackage: true, inputOnly: false },
  ppt: { family: 'presentation', zipPackage: false, inputOnly: true },
  odp: { family: 'presentation', zipPackage: true, inputOnly: false },
} as const satisfies Record<string, DocumentFormatTraits>;

export type DocumentFormatId = keyof typeof traits;
/** Every format a conversion may start from. */
export const documentFormatIds = Object.keys(traits) as DocumentFormatId[];
/** What a conversion may produce: the formats above that are not input only, plus PDF. */
export type TargetFormatId = Exclude<DocumentFormatId, 'doc' | 'xls' | 'ppt'> | 'pdf';

export function isDocumentFormatId(value: string): value is DocumentFormatId {
  return Object.hasOwn(traits, value);
}

export function traitsOf(format: DocumentFormatId): DocumentFormatTraits {
  return traits[format];
}

/** The source formats of one family, in a stable order. */
export function formatsOf(family: DocumentFamily): DocumentFormatId[] {
  return documentFormatIds.filter((format) => traits[format].family === family);
}

/**
 * Every format here is in the ingress's own table already; they are declared again so that a
 * host without them still names and recognises them.
 */
export const documentFormats: Format[] = [
  { id: 'docx', name: 'Word document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], category: 'document' },
  { id: 'doc', name: 'Word 97–2003 document', mime: 'application/msword', extensions: ['doc'], category: 'document' },
  { id: 'odt', name: 'OpenDocument text', mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'], category: 'document' },
  { id: 'rtf', name: 'Rich Text Format', mime: 'application/rtf', extensions: ['rtf'], category: 'document' },
  { id: 'txt', name: 'Plain text', mime: 'text/plain', extensions: ['txt'], category: 'document' },
  { id: 'html', name: 'HTML', mime: 'text/html', extensions: ['html', 'htm'], category: 'document' },
  { id: 'xlsx', name: 'Excel workbook', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], category: 'spreadsheet' },
  { id: 'xls', name: 'Excel 97–2003 workbook', mime: 'application/vnd.ms-excel', extensions: ['xls'], category: 'spreadsheet' },
  { id: 'ods', name: 'OpenDocument spreadsheet', mime: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'], category: 'spreadsheet' },
  { id: 'csv', name: 'CSV', mime: 'text/csv', extensions: ['csv'], category: 'spreadsheet' },
  { id: 'pptx', name: 'PowerPoint presentation', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'], category: 'presentation' },
  { id: 'ppt', name: 'PowerPoint 97–2003 presentation', mime: 'application/vnd.ms-powerpoint', extensions: ['ppt'], category: 'presentation' },
  { id: 'odp', name: 'OpenDocument presentation', mime: 'application/vnd.oasis.opendocument.presentation', extensions: ['odp'], category: 'presentation' },
  { id: 'pdf', name: 'PDF', mime: 'application/pdf', extensions: ['pdf'], category: 'pdf' },
];

export function formatName(format: string): string {
  return documentFormats.find((candidate) => candidate.id === format)?.name ?? format;
}
