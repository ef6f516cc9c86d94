import { readFile, writeFile } from 'node:fs/promises';
import { PluginError } from '@conveyor/contracts';
import { EncryptedPDFError, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFStream, PDFString, type PDFContext, type PDFObject } from 'pdf-lib';
import type { CheckedEdit } from './editable.js';

/** Report keys (exiftool's names) → keys of the PDF document information dictionary. */
const infoKeys: Record<string, string> = {
  Title: 'Title',
  Author: 'Author',
  Subject: 'Subject',
  Keywords: 'Keywords',
  Creator: 'Creator',
  Producer: 'Producer',
  CreateDate: 'CreationDate',
  ModifyDate: 'ModDate',
};

/** What anonymize removes from the information dictionary: the author and the software. */
export const pdfAnonymizeKeys = ['Author', 'Creator', 'Producer'];

function parseDate(text: string): Date | undefined {
  // exiftool's form (2024:05:01 12:00:00+02:00) or ISO 8601.
  const iso = text.replace(/^(\d{4}):(\d{2}):(\d{2})[ T]?/, '$1-$2-$3T').replace(/T$/, '');
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function infoDict(context: PDFContext): PDFDict {
  const existing = context.trailerInfo.Info ? context.lookup(context.trailerInfo.Info) : undefined;
  if (existing instanceof PDFDict) return existing;
  const created = context.obj({});
  context.trailerInfo.Info = context.register(created);
  return created;
}

/**
 * Deletes every object the document no longer reaches from its trailer. pdf-lib keeps all the
 * objects it parsed, older revisions' included; an old information dictionary or XMP packet
 * left behind by an incremental save would otherwise still carry the values removed.
 */
function dropUnreachable(context: PDFContext): void {
  const reached = new Set<string>();
  const pending: (PDFObject | undefined)[] = [context.trailerInfo.Root, context.trailerInfo.Info, context.trailerInfo.Encrypt];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === undefined) continue;
    if (item instanceof PDFRef) {
      if (reached.has(item.tag)) continue;
      reached.add(item.tag);
      pending.push(context.lookup(item));
    } else if (item instanceof PDFDict) {
      for (const [, value] of item.entries()) pending.push(value);
    } else if (item instanceof PDFArray) {
      for (let index = 0; index < item.size(); index += 1) pending.push(item.get(index));
    } else if (item instanceof PDFStream) {
      pending.push(item.dict);
    }
  }
  for (const [ref] of context.enumerateIndirectObjects()) if (!reached.has(ref.tag)) context.delete(ref);
}

/** Rewrites the PDF's information dictionary (and drops its XMP packet on anonymize/strip_all) with pdf-lib. */
export async function writePdf(inputPath: string, outputPath: string, edit: CheckedEdit, signal: AbortSignal): Promise<void> {
  const bytes = await readFile(inputPath);
  let doc: PDFDocument;
  try {
    // updateMetadata: false, or pdf-lib stamps its own Producer, Creator and dates.
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    if (error instanceof EncryptedPDFError) throw new PluginError('invalid_input', 'the PDF is encrypted: its metadata cannot be rewritten');
    throw new PluginError('invalid_input', `the input is not a readable PDF: ${(error as Error).message}`);
  }
  if (signal.aborted) return;
  if (!(doc.context.trailerInfo.Root && doc.context.lookup(doc.context.trailerInfo.Root) instanceof PDFDict)) {
    throw new PluginError('invalid_input', 'the input is not a readable PDF: it has no document catalog');
  }
  let output: Uint8Array;
  try {
    output = await rewriteInformation(doc, edit);
  } catch (error) {
    if (error instanceof PluginError) throw error;
    throw new PluginError('invalid_input', `the PDF cannot be rewritten: ${(error as Error).message}`);
  }
  if (signal.aborted) return;
  await writeFile(outputPath, output);
}

async function rewriteInformation(doc: PDFDocument, edit: CheckedEdit): Promise<Uint8Array> {
  const { context } = doc;
  const info = infoDict(context);
  if (edit.strip_all) for (const key of info.keys()) info.delete(key);
  if (edit.anonymize) for (const key of pdfAnonymizeKeys) info.delete(PDFName.of(infoKeys[key]!));
  if (edit.strip_all || edit.anonymize) {
    // The XMP packet repeats the names and software, and records the editing history.
    const metadata = doc.catalog.get(PDFName.of('Metadata'));
    doc.catalog.delete(PDFName.of('Metadata'));
    if (metadata instanceof PDFRef) context.delete(metadata);
    doc.catalog.delete(PDFName.of('PieceInfo'));
  }
  for (const key of edit.remove.get('PDF') ?? []) info.delete(PDFName.of(infoKeys[key]!));
  for (const [key, value] of edit.set.get('PDF') ?? []) {
    const name = PDFName.of(infoKeys[key]!);
    if (key === 'CreateDate' || key === 'ModifyDate') {
      const date = parseDate(String(value));
      if (!date) throw new PluginError('invalid_parameter', `PDF.${key} must be a date such as 2024-05-01T12:00:00Z`);
      info.set(name, PDFString.fromDate(date));
    } else {
      info.set(name, PDFHexString.fromText(String(value)));
    }
  }
  dropUnreachable(context);
  return doc.save({ updateFieldAppearances: false });
}
