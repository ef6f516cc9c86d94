import { lstat, readFile } from 'node:fs/promises';
import { PluginError, type MetadataReadContext, type MetadataReport } from '@conveyor/contracts';
import { collectAudioTags } from './audio-tags.js';
import { throwIfCancelled } from './cancellation.js';
import { commonMetadata } from './common.js';
import { imageEditable, imageSectionsByFormat, mediaSectionByFormat, mediaTagKeys, pdfEditable, safeMediaKey } from './editable.js';
import { collectExifSections, exiftoolError } from './exif-sections.js';
import { readRawTags, type RawTags } from './exiftool.js';
import { collectContainerTags, collectStreams, ffmpegAvailable, probeDuration, runFfprobe } from './ffprobe.js';
import { formatHandling } from './formats.js';
import { officeEditable, openOfficeDocument, readOfficeProperties } from './office.js';
import { SectionCollector } from './values.js';

/** exiftool's FileType values that agree with each Conveyor format (images and PDF, which only exiftool checks). */
const expectedFileTypes: Record<string, readonly string[]> = {
  png: ['PNG', 'APNG'],
  jpeg: ['JPEG'],
  webp: ['WEBP', 'Extended WEBP'],
  tiff: ['TIFF', 'BTF'],
  gif: ['GIF'],
  avif: ['AVIF', 'HEIF'],
  heic: ['HEIC', 'HEIF'],
  heif: ['HEIF', 'HEIC', 'AVIF'],
  bmp: ['BMP'],
  ico: ['ICO'],
  svg: ['SVG'],
  pdf: ['PDF'],
};

/** Largest office document read into memory to find its properties. */
const maxOfficeBytes = 512 * 1024 * 1024;

/** What read() found, with what write() needs beyond the report. */
export interface Inspection {
  report: MetadataReport;
  id3Version?: 3 | 4;
}

function describeReadFailure(format: string, error: unknown): unknown {
  if (error instanceof PluginError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PluginError('invalid_input', `the input is not a readable ${format} file: ${message}`);
}

async function checkInput(path: string): Promise<number> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    throw new PluginError('invalid_input', `the input cannot be read: ${(error as Error).message}`);
  }
  // A link could point anywhere on the machine: only the file itself is read.
  if (!stats.isFile()) throw new PluginError('invalid_input', 'the input is not a regular file');
  return stats.size;
}

export async function inspect(ctx: MetadataReadContext): Promise<Inspection> {
  const { inputPath, format, signal, log } = ctx;
  const handling = formatHandling(format);
  if (!handling) throw new PluginError('invalid_parameter', `metadata of ${format} files cannot be read`);
  throwIfCancelled(signal);
  const size = await checkInput(inputPath);
  const collector = new SectionCollector();
  const editable: Record<string, string[]> = {};
  let duration: number | undefined;
  let id3Version: 3 | 4 | undefined;

  if (handling.office) {
    if (size > maxOfficeBytes) throw new PluginError('limit_exceeded', `the document is larger than ${maxOfficeBytes} bytes`);
    const doc = openOfficeDocument(await readFile(inputPath), handling.office);
    const properties = readOfficeProperties(doc);
    for (const [key, value] of properties) collector.add('Office', key, value);
    editable.Office = officeEditable(doc, properties);
  } else {
    let raw: RawTags;
    try {
      raw = await readRawTags(inputPath);
    } catch (error) {
      throw describeReadFailure(format, error);
    }
    throwIfCancelled(signal);
    const expected = expectedFileTypes[format];
    if (expected) {
      const problem = exiftoolError(raw);
      const fileType = raw['File:FileType'];
      if (problem) throw new PluginError('invalid_input', `the input is not a readable ${format} file: ${problem}`);
      if (typeof fileType !== 'string' || !expected.includes(fileType)) {
        throw new PluginError('invalid_input', `the input is not a ${format} file (exiftool sees ${typeof fileType === 'string' ? fileType : 'nothing it knows'})`);
      }
    }
    if (handling.musicMetadata) {
      try {
        const tags = await collectAudioTags(inputPath, collector);
        duration = tags.metadata.format.duration;
        id3Version = tags.id3Version;
        const section = mediaSectionByFormat[format];
        if (section && handling.writer) {
          const present = (tags.textKeys[section] ?? []).filter((key) => safeMediaKey.test(key));
          editable[section] = [...new Set([...mediaTagKeys, ...present])];
        }
      } catch (error) {
        throw describeReadFailure(format, error);
      }
      throwIfCancelled(signal);
    }
    if (handling.ffprobe) {
      if (await ffmpegAvailable()) {
        try {
          const probe = await runFfprobe(inputPath, signal);
          collectStreams(probe, collector);
          duration = probeDuration(probe) ?? duration;
          if (format === 'mkv' || format === 'webm') {
            const present = collectContainerTags('Matroska', probe, collector).filter((key) => safeMediaKey.test(key));
            editable.Matroska = [...new Set([...mediaTagKeys, ...present])];
          }
        } catch (error) {
          throw describeReadFailure(format, error);
        }
      } else {
        log.warn('ffprobe is not installed: the Streams section (codecs, durations) is left out', { format });
      }
    }
    // After music-metadata: its ID3/Vorbis/MP4 sections use the names write() takes.
    collectExifSections(raw, collector);
    for (const section of imageSectionsByFormat[format] ?? []) editable[section] = [...imageEditable[section]!];
    if (format === 'pdf') editable.PDF = [...pdfEditable];
  }
  if (collector.truncated) log.warn('the metadata report was cut short', { format });
  const sections = collector.result();
  if (duration === undefined && typeof sections.Composite?.Duration === 'number') duration = sections.Composite.Duration;
  const report: MetadataReport = {
    containers: containersOf(sections),
    common: commonMetadata(sections, duration),
    sections,
    editable,
  };
  return { report, ...(id3Version ? { id3Version } : {}) };
}

/** Sections that describe the file rather than a metadata container. */
const notContainers = new Set(['File', 'Composite', 'Streams']);

function containersOf(sections: Record<string, unknown>): string[] {
  const names = Object.keys(sections).filter((name) => !notContainers.has(name));
  if (sections.Streams) names.push('ffprobe');
  return names;
}
