import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { PluginError, type MetadataWriteContext } from '@conveyor/contracts';
import { cancelledError, removeOutput, throwIfCancelled } from './cancellation.js';
import { checkEdit, isEmptyEdit, type CheckedEdit } from './editable.js';
import { runExiftoolWrite } from './exiftool.js';
import { formatHandling } from './formats.js';
import { exiftoolWriteArgs } from './image-write.js';
import { writeMedia } from './media-write.js';
import { officeAnonymizeKeys, openOfficeDocument, readOfficeProperties, validateOfficeValue, writeOfficeProperties, type OfficeFamily } from './office.js';
import { writePdf } from './pdf-write.js';
import { inspect } from './read.js';

export async function writeMetadata(ctx: MetadataWriteContext): Promise<void> {
  const { inputPath, outputPath, format, signal } = ctx;
  const handling = formatHandling(format);
  if (!handling?.writer) throw new PluginError('invalid_parameter', `metadata of ${format} files cannot be rewritten`);
  if (outputPath === inputPath) throw new PluginError('invalid_parameter', 'the output must be a different file from the input');
  const { report, id3Version } = await inspect(ctx);
  const edit = checkEdit(ctx.edit, report.editable, format);
  throwIfCancelled(signal);
  // exiftool's -o refuses an existing output; a stale one from an earlier attempt must go.
  await removeOutput(outputPath);
  try {
    if (isEmptyEdit(edit)) await copyFile(inputPath, outputPath);
    else if (handling.writer === 'exiftool') await writeImage(inputPath, outputPath, edit);
    else if (handling.writer === 'pdf') await writePdf(inputPath, outputPath, edit, signal);
    else if (handling.writer === 'ffmpeg') await writeMedia(inputPath, outputPath, edit, { format, ...(id3Version ? { id3Version } : {}) }, signal);
    else await writeOffice(inputPath, outputPath, edit, handling.office!);
    // exiftool and pdf-lib cannot be stopped part-way: a cancel is honoured once they return.
    if (signal.aborted) throw cancelledError();
  } catch (error) {
    await removeOutput(outputPath);
    throw error;
  }
}

/** exiftool's words for a value it cannot store (a malformed date, a number out of range): the caller's mistake. */
const refusedValue = /invalid|not a valid|bad format|can't convert|out of range|not an integer|PrintConvInv|ValueConvInv/i;

async function writeImage(inputPath: string, outputPath: string, edit: CheckedEdit): Promise<void> {
  const args = exiftoolWriteArgs(inputPath, outputPath, edit);
  let warnings: string[];
  try {
    // Without -m first: exiftool then says when it skips a value; with -m it drops it silently.
    ({ warnings } = await runExiftoolWrite(args, false));
  } catch (error) {
    const message = (error as Error).message;
    if (refusedValue.test(message)) throw new PluginError('invalid_parameter', `exiftool refused a value: ${message}`);
    // A "[minor]" problem in the file (odd maker notes) stops a write unless told to go on.
    if (!/\[minor\]/i.test(message)) throw new PluginError('invalid_input', `exiftool could not rewrite the image: ${message}`);
    await removeOutput(outputPath);
    try {
      ({ warnings } = await runExiftoolWrite(args, true));
    } catch (retryError) {
      throw new PluginError('invalid_input', `exiftool could not rewrite the image: ${(retryError as Error).message}`);
    }
  }
  const refused = warnings.find((warning) => refusedValue.test(warning));
  if (refused) throw new PluginError('invalid_parameter', `exiftool refused a value: ${refused.replace(/^warning:\s*/i, '')}`);
}

async function writeOffice(inputPath: string, outputPath: string, edit: CheckedEdit, family: OfficeFamily): Promise<void> {
  const doc = openOfficeDocument(await readFile(inputPath), family);
  const before = readOfficeProperties(doc);
  const after = new Map(before);
  const editable = new Set([...before.keys()].filter((key) => !isStatistic(key)));
  if (edit.strip_all) for (const key of editable) after.delete(key);
  if (edit.anonymize) for (const key of officeAnonymizeKeys) after.delete(key);
  for (const key of edit.remove.get('Office') ?? []) after.delete(key);
  for (const [key, value] of edit.set.get('Office') ?? []) {
    const text = String(value);
    const problem = validateOfficeValue(key, text);
    if (problem) throw new PluginError('invalid_parameter', problem);
    after.set(key, text);
  }
  await writeFile(outputPath, writeOfficeProperties(doc, before, after));
}

/** Counts an application keeps (pages, words…): not metadata anyone sets, and rewritten on save. */
const statistics = new Set(['pages', 'words', 'characters', 'charactersWithSpaces', 'lines', 'paragraphs', 'slides', 'notes', 'hiddenSlides', 'mmClips', 'tables', 'images', 'objects', 'cells', 'docSecurity', 'scaleCrop', 'linksUpToDate', 'sharedDoc', 'hyperlinksChanged']);

function isStatistic(key: string): boolean {
  return statistics.has(key);
}
