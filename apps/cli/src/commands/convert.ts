import { createWriteStream } from 'node:fs';
import { access, rename, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { convertUsage, parseConvertArguments, UsageError, type ConvertArguments } from '../convert/convert-arguments.js';
import { ProgressLine } from '../convert/progress-line.js';
import { ServiceClient, ServiceError, type Job } from '../convert/service-client.js';

/** `--output -`: the result goes to standard output, for a pipe. */
const standardOutput = '-';

const exists = (path: string) => access(path).then(
  () => true,
  () => false,
);

function sizeText(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Refuses, before anything is uploaded, an input that is not a readable file or an output that would be overwritten. */
async function checkPaths(args: ConvertArguments): Promise<number> {
  const input = await stat(args.inputPath).catch(() => undefined);
  if (!input?.isFile()) throw new UsageError(`${args.inputPath}: no such file`);
  if (args.outputPath !== standardOutput && !args.force && (await exists(args.outputPath))) throw new UsageError(`${args.outputPath} exists; pass --force to replace it, or --output to write elsewhere`);
  return input.size;
}

/**
 * `conveyor convert <file> --to <format>`: converts a file through a running Conveyor, as any
 * client would (upload, request, follow, download), with progress on stderr. Ctrl-C stops what
 * is in flight and cancels the job. The result is written whole or not at all (to standard
 * output with `--output -`). Exit codes: 0 converted, 1 refused or failed, 2 a command line
 * that cannot be run, 130 interrupted.
 */
export async function runConvert(argv: string[]): Promise<number> {
  let args: ConvertArguments;
  let size: number;
  try {
    const parsed = parseConvertArguments(argv, process.env);
    if (parsed === 'help') {
      process.stdout.write(`${convertUsage}\n`);
      return 0;
    }
    args = parsed;
    size = await checkPaths(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`conveyor convert: ${error.message}\n\n${convertUsage}\n`);
    return 2;
  }

  const stop = new AbortController();
  const client = new ServiceClient(args.serverUrl, stop.signal);
  const progress = new ProgressLine();
  const name = basename(args.inputPath);
  let job: Job | undefined;
  let wasInterrupted = false;
  const interrupted = new Promise<number>((resolve) => {
    process.once('SIGINT', () => {
      wasInterrupted = true;
      // The upload, the long poll or the download stops now; the work below then cleans up after itself.
      stop.abort();
      progress.end();
      process.stderr.write(job ? 'interrupted: cancelling the job\n' : 'interrupted\n');
      void (job ? client.cancel(job) : Promise.resolve()).catch(() => undefined).finally(() => resolve(130));
    });
  });

  const work = async (): Promise<number> => {
    await client.authenticate(args.apiKey);
    const file = await client.upload(args.inputPath, name, size, (sent) => progress.show(`uploading ${name}`, size === 0 ? 100 : (sent / size) * 100));
    const options = args.preset === undefined ? args.options : { ...(await client.presetParams(file, args.targetFormat, args.preset)), ...args.options };
    job = await client.requestConversion(file, args.targetFormat, options);
    const ended = await client.follow(job, (current) => progress.show(`converting ${name} → ${args.targetFormat}: ${current.status}`, current.progress_pct));
    progress.end();
    if (ended.status !== 'completed' || !ended.output_file_id) {
      process.stderr.write(`conveyor convert: conversion ${ended.status}${ended.error_code ? `: ${ended.error_code}: ${ended.error_message ?? ''}` : ''}\n`);
      return wasInterrupted ? 130 : 1;
    }
    if (args.outputPath === standardOutput) {
      await client.download(ended.org_id, ended.output_file_id, process.stdout);
      return 0;
    }
    const partial = `${args.outputPath}.partial-${process.pid}`;
    try {
      await client.download(ended.org_id, ended.output_file_id, createWriteStream(partial, { flags: 'wx' }));
      if (!args.force && (await exists(args.outputPath))) throw new UsageError(`${args.outputPath} appeared while converting; the result was not written`);
      await rename(partial, args.outputPath);
    } finally {
      await rm(partial, { force: true });
    }
    process.stderr.write(`wrote ${args.outputPath} (${sizeText((await stat(args.outputPath)).size)})\n`);
    return 0;
  };

  try {
    return await Promise.race([work(), interrupted]);
  } catch (error) {
    progress.end();
    // What failed was stopped by the interrupt: finish cancelling, and say nothing more.
    if (wasInterrupted) return interrupted;
    if (error instanceof ServiceError || error instanceof UsageError) {
      process.stderr.write(`conveyor convert: ${error instanceof ServiceError && error.code !== 'unreachable' ? `${error.code}: ` : ''}${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
