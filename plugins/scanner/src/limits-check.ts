import type { PluginLogger, ScanContext } from '@conveyor/contracts';
import type { ScannedFile } from './file-reader.js';
import { imageDimensions, UnreadableHeader } from './image-size.js';
import { probeMedia } from './media-probe.js';
import { countPdfPages, UnreadablePdf } from './pdf-pages.js';
import { mediaFormats, rasterImageFormats } from './format-families.js';
import { rejected, type Finding } from './verdicts.js';

export interface LimitCheckInput {
  file: ScannedFile;
  path: string;
  format: string;
  limits: ScanContext['limits'];
  signal: AbortSignal;
  log: PluginLogger;
  ffprobe: string;
}

export function checkByteLimit(size: number, maxBytes: number): Finding {
  return size > maxBytes ? rejected(`the file is ${size} bytes, more than the allowed ${maxBytes}`) : undefined;
}

/**
 * What the file will cost once decoded, from its headers: an image's pixels, a PDF's pages, a
 * recording's duration and frame size. A header that cannot be read is refused: the limits
 * could not be checked, and no converter should be the first to try.
 */
export async function checkContentLimits(input: LimitCheckInput): Promise<Finding> {
  const { format } = input;
  if (rasterImageFormats.has(format)) return checkPixels(input);
  if (format === 'pdf') return checkPages(input);
  if (mediaFormats.has(format)) return checkMedia(input);
  return undefined;
}

async function checkPixels({ file, path, format, limits }: LimitCheckInput): Promise<Finding> {
  let size;
  try {
    size = await imageDimensions(file, path, format);
  } catch (error) {
    if (error instanceof UnreadableHeader) return rejected(`the ${format} image's header cannot be read: ${error.message}`);
    throw error;
  }
  const pixels = size.width * size.height;
  return pixels > limits.maxPixels ? rejected(`the image is ${size.width}×${size.height} (${pixels} pixels), more than the allowed ${limits.maxPixels}`) : undefined;
}

async function checkPages({ path, limits, log }: LimitCheckInput): Promise<Finding> {
  let pages;
  try {
    pages = await countPdfPages(path);
  } catch (error) {
    if (error instanceof UnreadablePdf) return rejected(`the PDF cannot be read: ${error.message}`);
    throw error;
  }
  if (pages === 'password-protected') {
    log.info('the PDF is password-protected: its pages were not counted');
    return undefined;
  }
  return pages > limits.maxPages ? rejected(`the PDF has ${pages} pages, more than the allowed ${limits.maxPages}`) : undefined;
}

async function checkMedia({ path, format, limits, signal, log, ffprobe }: LimitCheckInput): Promise<Finding> {
  const probe = await probeMedia(ffprobe, path, format, signal, limits.timeoutMs);
  if (probe.ok === 'missing') {
    log.warn(`ffprobe (${ffprobe}) is not installed: the duration limit of this ${format} file was not checked`);
    return undefined;
  }
  if (!probe.ok) return rejected(`the ${format} file cannot be read: ${probe.reason}`);
  const { durationSeconds, framePixels } = probe.facts;
  if (durationSeconds !== undefined && durationSeconds > limits.maxDurationSeconds) {
    return rejected(`the recording lasts ${durationSeconds.toFixed(1)} s, longer than the allowed ${limits.maxDurationSeconds} s`);
  }
  if (framePixels !== undefined && framePixels > limits.maxPixels) {
    return rejected(`the video's frames are ${framePixels} pixels, more than the allowed ${limits.maxPixels}`);
  }
  if (durationSeconds === undefined) log.info(`the ${format} file does not state its duration: the converter enforces the limit as it reads`);
  return undefined;
}
