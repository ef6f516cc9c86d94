import type { PluginCapability, PluginPreset } from '@conveyor/contracts';
import { formatsOf, traitsOf, type DocumentFamily, type DocumentFormatId, type TargetFormatId } from './formats.js';
import { noOptionsSchema, pdfOptionsSchema } from './options.js';

/**
 * Higher than a pure-JavaScript plugin's 1: where another plugin makes the same step (csv →
 * xlsx, say), the planner prefers it to a round trip through LibreOffice.
 */
export const officeCost = 5;

const pdfPresets: PluginPreset[] = [
  { id: 'standard', label: 'Standard PDF', params: { pdfProfile: 'standard' } },
  { id: 'pdfa', label: 'PDF/A-2b, for archiving', params: { pdfProfile: 'pdfa' } },
];

/** Targets that keep only text (txt, csv: one sheet, no formatting) or only the look (pdf). */
const lossyTargets: ReadonlySet<TargetFormatId> = new Set(['pdf', 'txt', 'csv']);

function targetsOf(family: DocumentFamily): TargetFormatId[] {
  const editable = formatsOf(family).filter((format) => !traitsOf(format).inputOnly) as TargetFormatId[];
  return ['pdf', ...editable];
}

function capability(from: DocumentFormatId, to: TargetFormatId): PluginCapability {
  return {
    from,
    to,
    cost: officeCost,
    lossy: lossyTargets.has(to),
    ...(to === 'pdf' ? { options: pdfOptionsSchema, presets: pdfPresets } : { options: noOptionsSchema }),
  };
}

/**
 * Every source to every target of its own family except itself: LibreOffice opens the source
 * in Writer, Calc or Impress and exports from there. doc, xls and ppt are read, never written.
 */
export const documentCapabilities: PluginCapability[] = (['text', 'spreadsheet', 'presentation'] as const).flatMap((family) =>
  formatsOf(family).flatMap((from) => targetsOf(family).filter((to) => to !== from).map((to) => capability(from, to))),
);
