import { AppError, convertFieldsSchema, fileVisibility, formatFromFileName, type PlanStep } from '@conveyor/contracts';
import { detectFormat, planConversion, UnknownPresetError, type CapabilityGraph } from '@conveyor/core';
import type { ReceivedFile, ReceivedForm } from '../upload/multipart-upload.js';
import { sanitiseFileName } from '../upload/file-name.js';
import { checkConversionOptions } from './conversion-options.js';

export type Visibility = (typeof fileVisibility.options)[number];

/** A `POST /api/convert` form that passed every check: what the commands are built from. */
export interface ConversionRequest {
  file: ReceivedFile;
  name: string;
  sourceFormat: string;
  mime: string;
  targetFormat: string;
  visibility: Visibility;
  options: Record<string, unknown>;
  preset: string | undefined;
}

export interface ConversionPlanning {
  capabilities: CapabilityGraph;
  maxHops: number;
}

function parseOptions(raw: string | undefined): unknown {
  if (raw === undefined || raw.trim() === '') return {};
  let options: unknown;
  try {
    options = JSON.parse(raw);
  } catch {
    throw new AppError('invalid_parameter', 'options must be a JSON object');
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new AppError('invalid_parameter', 'options must be a JSON object');
  }
  return options;
}

function parseFields(fields: ReadonlyMap<string, string>) {
  const targetFormat = fields.get('target_format')?.trim().toLowerCase();
  if (!targetFormat) throw new AppError('invalid_parameter', 'target_format is required');
  const visibility = fields.get('visibility')?.trim() || undefined;
  const preset = fields.get('preset')?.trim() || undefined;
  const parsed = convertFieldsSchema.safeParse({ target_format: targetFormat, visibility, preset, options: parseOptions(fields.get('options')) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'form';
    throw new AppError('invalid_parameter', `${field}: ${issue?.message ?? 'invalid value'}`);
  }
  return parsed.data;
}

/** The upload's format; formats that plugins introduce (a third-party `ppm`) are known by their declared extension. */
export function detectSourceFormat(file: ReceivedFile, name: string, capabilities: CapabilityGraph): { format: string; mime: string } {
  const detection = detectFormat(file.head, name, capabilities.formats.values());
  switch (detection.outcome) {
    case 'detected':
      return detection;
    case 'mismatch':
      throw new AppError(
        'invalid_file_type',
        detection.sniffed === undefined
          ? `the file is named as ${detection.declared} but its content is not ${detection.declared}`
          : `the file is named as ${detection.declared} but its content is ${detection.sniffed}`,
      );
    case 'unknown':
      throw new AppError('unsupported_conversion', 'the format of the file could not be recognised');
  }
}

/**
 * The target the planner can reach, as the format id given, else as what it names as an
 * extension (`jpg` → `jpeg`), so that clients may use either; with the plan that reaches it.
 */
export function reachableTarget(planning: ConversionPlanning, from: string, requested: string, options: Record<string, unknown>): { to: string; plan: PlanStep[] } | undefined {
  const candidates = [requested, formatFromFileName(`.${requested}`)].filter((format): format is string => format !== undefined);
  for (const to of candidates) {
    const plan = planConversion(planning.capabilities, { from, to, options, maxHops: planning.maxHops });
    if (plan) return { to, plan };
  }
  return undefined;
}

/**
 * Checks a received convert form: a file is present and non-empty, the fields are valid,
 * the source format is recognised and consistent with the file name, the planner can reach
 * the target, and the options fit it. Throws the AppError the client should see.
 */
export function validateConversionRequest(form: ReceivedForm, planning: ConversionPlanning): ConversionRequest {
  const file = form.file;
  if (!file) throw new AppError('invalid_parameter', 'file is required');
  const fields = parseFields(form.fields);
  if (file.stored.size === 0) throw new AppError('invalid_parameter', 'file is empty');
  const name = sanitiseFileName(file.fileName);
  const source = detectSourceFormat(file, name, planning.capabilities);
  const reached = reachableTarget(planning, source.format, fields.target_format, fields.options);
  if (reached === undefined) {
    throw new AppError('unsupported_conversion', `cannot convert ${source.format} to ${fields.target_format}`);
  }
  const targetFormat = reached.to;
  const plan = fields.preset === undefined ? reached.plan : planWithPreset(planning, source.format, targetFormat, fields.options, fields.preset);
  checkConversionOptions(planning.capabilities, plan);
  const mime = planning.capabilities.formats.get(source.format)?.mime ?? source.mime;
  return {
    file,
    name,
    sourceFormat: source.format,
    mime,
    targetFormat,
    visibility: fields.visibility,
    options: fields.options,
    preset: fields.preset,
  };
}

/** The plan with the preset's params under the options; the preset must be one the final hop offers (`web`, `high`, … for images). */
function planWithPreset(planning: ConversionPlanning, from: string, to: string, options: Record<string, unknown>, preset: string): PlanStep[] {
  try {
    // The route does not depend on the preset: the target was reached with the same options.
    return planConversion(planning.capabilities, { from, to, options, preset, maxHops: planning.maxHops })!;
  } catch (error) {
    if (error instanceof UnknownPresetError) throw new AppError('invalid_parameter', error.message);
    throw error;
  }
}
