import { PluginError, type ConversionLimits } from '@conveyor/contracts';

/** The limits the PDF tools hold their inputs to; the exported tools accept them optionally. */
export type PdfLimits = Pick<ConversionLimits, 'maxPages' | 'maxDecompressedBytes' | 'maxPixels'>;

/** Used by the exported tools when their caller gives no limits: the worker's defaults. */
export const fallbackLimits: PdfLimits = {
  maxPages: 500,
  maxDecompressedBytes: 512 * 1024 * 1024,
  maxPixels: 100_000_000,
};

/** How the exported tools are steered: every field is optional, so a script can call them bare. */
export interface PdfToolControl {
  signal?: AbortSignal;
  limits?: Partial<PdfLimits>;
  /** Called with the share of the work done, from 0 to 1. */
  onProgress?(fraction: number): void;
}

export function limitsOf(control: PdfToolControl): PdfLimits {
  return { ...fallbackLimits, ...control.limits };
}

/**
 * Bytes that the inputs of one conversion may decode to, counted across all of them (a merge of
 * twenty files is held to the same budget as one file) and across the outputs that expand too.
 */
export class DecompressionBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  /** Counts `bytes` more; throws limit_exceeded once the total passes the limit. */
  charge(bytes: number, what: string): void {
    this.used += bytes;
    if (this.used > this.limit) {
      throw new PluginError('limit_exceeded', `${what} expands to more than the allowed ${this.limit} bytes`);
    }
  }
}

export function checkPageCount(pages: number, limits: PdfLimits): void {
  if (pages > limits.maxPages) {
    throw new PluginError('limit_exceeded', `the PDF has ${pages} pages, more than the allowed ${limits.maxPages}`);
  }
}
