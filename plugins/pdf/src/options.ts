import { PluginError } from '@conveyor/contracts';
import { isRasterFormat, pageFileFormats, type PageFileFormat, type RasterFormat } from './formats.js';

export const defaultDpi = 150;
export const minDpi = 18;
export const maxDpi = 600;
/** Widest rendering a caller may ask for; WebP cannot encode beyond 16383 pixels. */
export const maxWidth = 16_383;

export interface RenderOptions {
  dpi: number;
  /** When given, the page is scaled to this many pixels across and `dpi` is not used. */
  width?: number;
  quality?: number;
}

export interface PageRenderOptions extends RenderOptions {
  /** 1-indexed. */
  page: number;
}

export interface ZipOptions extends RenderOptions {
  pagesAs: PageFileFormat;
}

export interface PdfEditOptions {
  deletePages?: number[];
  linearize: boolean;
}

function invalid(message: string): PluginError {
  return new PluginError('invalid_parameter', message);
}

function integerOption(name: string, value: unknown, minimum: number, maximum: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    throw invalid(`${name} must be an integer from ${minimum} to ${maximum}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Validates the options this plugin understands and returns them typed. Keys it does not know
 * are ignored: checking a request against the published schema is the API's job.
 */
export function parseRenderOptions(options: Record<string, unknown>): RenderOptions {
  const parsed: RenderOptions = { dpi: defaultDpi };
  if (options.dpi !== undefined) parsed.dpi = integerOption('dpi', options.dpi, minDpi, maxDpi);
  if (options.width !== undefined) parsed.width = integerOption('width', options.width, 1, maxWidth);
  if (options.quality !== undefined) parsed.quality = integerOption('quality', options.quality, 1, 100);
  return parsed;
}

/** @example parsePageRenderOptions({ page: 2, dpi: 72 }) // → { page: 2, dpi: 72 } */
export function parsePageRenderOptions(options: Record<string, unknown>): PageRenderOptions {
  // The upper bound is the page count, known only once the PDF is open.
  const page = options.page === undefined ? 1 : integerOption('page', options.page, 1, Number.MAX_SAFE_INTEGER);
  return { ...parseRenderOptions(options), page };
}

export function parseZipOptions(options: Record<string, unknown>): ZipOptions {
  const pagesAs = options.pages_as ?? 'pdf';
  if (typeof pagesAs !== 'string' || !(pageFileFormats as readonly string[]).includes(pagesAs)) {
    throw invalid(`pages_as must be one of ${pageFileFormats.join(', ')}, got ${JSON.stringify(pagesAs)}`);
  }
  return { ...parseRenderOptions(options), pagesAs: pagesAs as PageFileFormat };
}

export function parseEditOptions(options: Record<string, unknown>): PdfEditOptions {
  const linearize = options.linearize ?? false;
  if (typeof linearize !== 'boolean') throw invalid(`linearize must be true or false, got ${JSON.stringify(linearize)}`);
  return {
    linearize,
    ...(options.delete_pages === undefined ? {} : { deletePages: parsePageList(options.delete_pages) }),
  };
}

/**
 * Reads a list of 1-indexed page numbers given as an array, or as a string of numbers and
 * ranges separated by commas. Whether the pages exist is checked against the document later.
 *
 * @example parsePageList('2,5,8') // → [2, 5, 8]
 * @example parsePageList('1-3, 7') // → [1, 2, 3, 7]
 */
export function parsePageList(value: unknown): number[] {
  const pages: number[] = [];
  if (Array.isArray(value)) {
    for (const item of value) pages.push(integerOption('delete_pages entries', item, 1, Number.MAX_SAFE_INTEGER));
  } else if (typeof value === 'string') {
    for (const part of value.split(',')) {
      const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
      if (!range) throw invalid(`delete_pages must be page numbers like "2,5,8" or "3-6", got ${JSON.stringify(value)}`);
      const first = Number(range[1]);
      const last = range[2] === undefined ? first : Number(range[2]);
      if (first < 1 || last < first) throw invalid(`delete_pages has an invalid range "${part.trim()}"`);
      if (last - first > 100_000) throw invalid(`delete_pages has a range too long to be real: "${part.trim()}"`);
      for (let page = first; page <= last; page++) pages.push(page);
    }
  } else {
    throw invalid(`delete_pages must be an array of page numbers or a string like "2,5,8", got ${JSON.stringify(value)}`);
  }
  if (pages.length === 0) throw invalid('delete_pages names no page');
  return [...new Set(pages)].sort((a, b) => a - b);
}

export function rasterTarget(format: string): RasterFormat {
  if (!isRasterFormat(format)) throw new PluginError('unsupported_conversion', `the pdf plugin does not render to ${format}`);
  return format;
}
