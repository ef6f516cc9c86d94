import { PluginError, type JsonSchema } from '@conveyor/contracts';

export const pdfProfiles = ['standard', 'pdfa'] as const;
export type PdfProfile = (typeof pdfProfiles)[number];

export const pdfOptionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pdfProfile: {
      enum: [...pdfProfiles],
      default: 'standard',
      description: 'standard: an ordinary PDF; pdfa: PDF/A-2b, self-contained for long-term archiving.',
    },
  },
};

/** Conversions other than to PDF take no options; the API refuses any given. */
export const noOptionsSchema: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };

export interface DocumentOptions {
  pdfProfile: PdfProfile;
}

/**
 * Validates the options this plugin understands. Keys it does not know are ignored: checking
 * a request against the published schema is the API's job.
 *
 * @example parseDocumentOptions({ pdfProfile: 'pdfa' }) // → { pdfProfile: 'pdfa' }
 */
export function parseDocumentOptions(options: Record<string, unknown>): DocumentOptions {
  const profile = options.pdfProfile ?? 'standard';
  if (typeof profile !== 'string' || !(pdfProfiles as readonly string[]).includes(profile)) {
    throw new PluginError('invalid_parameter', `pdfProfile must be one of ${pdfProfiles.join(', ')}, got ${JSON.stringify(profile)}`);
  }
  return { pdfProfile: profile as PdfProfile };
}
