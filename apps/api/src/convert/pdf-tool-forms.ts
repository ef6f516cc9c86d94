import { AppError, maxConversionInputs } from '@conveyor/contracts';
import { planConversion } from '@conveyor/core';
import { sanitiseFileName } from '../upload/file-name.js';
import type { ReceivedFile, ReceivedForm } from '../upload/multipart-upload.js';
import { checkConversionOptions } from './conversion-options.js';
import { detectSourceFormat, validateConversionRequest, type ConversionPlanning, type ConversionRequest } from './conversion-request.js';

/** The fields a PDF tool form carries besides its files; the target is always PDF. */
function pdfFields(fields: ReadonlyMap<string, string>, options: Record<string, unknown>): Map<string, string> {
  const tool = new Map(fields);
  tool.set('target_format', 'pdf');
  let given: unknown = {};
  const raw = fields.get('options');
  if (raw !== undefined && raw.trim() !== '') {
    try {
      given = JSON.parse(raw);
    } catch {
      throw new AppError('invalid_parameter', 'options must be a JSON object');
    }
  }
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new AppError('invalid_parameter', 'options must be a JSON object');
  tool.set('options', JSON.stringify({ ...given, ...options }));
  return tool;
}

function expectPdf(request: { sourceFormat: string; name: string }): void {
  if (request.sourceFormat !== 'pdf') throw new AppError('invalid_file_type', `${request.name} is ${request.sourceFormat}, not a PDF`);
}

/**
 * `pages` of a delete-pages form: comma-separated 1-indexed page numbers (`2,5,8`).
 *
 * @example parsePageList('2, 5,8') // [2, 5, 8]
 */
export function parsePageList(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') throw new AppError('invalid_parameter', 'pages is required: comma-separated page numbers, e.g. 2,5,8');
  return raw.split(',').map((part) => {
    const text = part.trim();
    if (!/^[1-9][0-9]{0,5}$/.test(text)) throw new AppError('invalid_parameter', `pages: "${text}" is not a page number (pages count from 1)`);
    return Number(text);
  });
}

/** A delete-pages form: one PDF and the pages to remove, as a PDF → PDF conversion with `delete_pages`. */
export function validateDeletePagesRequest(form: ReceivedForm, planning: ConversionPlanning): ConversionRequest {
  const pages = parsePageList(form.fields.get('pages'));
  const request = validateConversionRequest({ fields: pdfFields(form.fields, { delete_pages: pages }), file: form.file }, planning);
  expectPdf(request);
  return request;
}

export interface MergeRequest {
  first: ConversionRequest;
  /** The second to last PDFs, in the order they came. */
  rest: Array<{ file: ReceivedFile; name: string; format: string; mime: string }>;
}

/** A merge form: 2–20 PDFs, merged in the order they came, by a plugin that takes that many inputs. */
export function validateMergeRequest(form: { fields: ReadonlyMap<string, string>; files: ReceivedFile[] }, planning: ConversionPlanning): MergeRequest {
  const [firstFile, ...restFiles] = form.files;
  if (!firstFile || form.files.length < 2 || form.files.length > maxConversionInputs) {
    throw new AppError('invalid_parameter', `files[]: send 2 to ${maxConversionInputs} PDF files (got ${form.files.length})`);
  }
  const first = validateConversionRequest({ fields: pdfFields(form.fields, {}), file: firstFile }, planning);
  expectPdf(first);
  const rest = restFiles.map((file) => {
    const name = sanitiseFileName(file.fileName);
    if (file.stored.size === 0) throw new AppError('invalid_parameter', `${name} is empty`);
    const detected = detectSourceFormat(file, name, planning.capabilities);
    expectPdf({ sourceFormat: detected.format, name });
    return { file, name, format: detected.format, mime: first.mime };
  });
  const plan = planConversion(planning.capabilities, { from: 'pdf', to: 'pdf', options: first.options, maxHops: planning.maxHops, inputCount: form.files.length });
  if (!plan) throw new AppError('unsupported_conversion', `no plugin here merges ${form.files.length} PDF files`);
  // The merge may run another capability than a single PDF's edit: its own schema holds too.
  checkConversionOptions(planning.capabilities, plan);
  return { first, rest };
}
