import { ExifTool, ExifToolTask } from 'exiftool-vendored';
import { spawnExiftool } from './exiftool-process.js';

let shared: ExifTool | undefined;

/**
 * The one ExifTool (a long-lived perl process) this plugin uses, started on first use. Kept
 * small: metadata tasks are short and rare next to conversions.
 */
export function exiftool(): ExifTool {
  shared ??= new ExifTool({
    maxProcs: 1,
    maxTasksPerProcess: 200,
    taskTimeoutMillis: 30_000,
    // Its own process-wide GeoTz lookups and timezone guesses are for photo libraries, not here.
    geolocation: false,
    ignoreMinorErrors: true,
    processFactory: spawnExiftool,
  });
  return shared;
}

export async function endExiftool(): Promise<void> {
  const instance = shared;
  shared = undefined;
  if (instance) await instance.end();
}

/**
 * Read arguments: every group, duplicates kept (`-a`) and named `family0:family1:Tag`
 * (`-G0:1`), GPS as signed decimal degrees. No `-fast`: PNG text chunks after the image data
 * must be seen. `-m` keeps minor problems from failing the read.
 */
const readArgs = ['-G0:1', '-a', '-c', '%+.6f', '-m'];

export type RawTags = Record<string, unknown>;

export async function readRawTags(path: string): Promise<RawTags> {
  return (await exiftool().readRaw(path, { readArgs, useMWG: false })) as unknown as RawTags;
}

/**
 * Runs a write command built by this package (`-o output` and tag assignments), through the
 * shared process. exiftool-vendored's own `write()` orders its extra arguments after the
 * assignments, but `-all=` must come first to delete before setting.
 */
class CommandTask extends ExifToolTask<string> {
  protected parse(output: string, error?: Error): string {
    if (error) throw error;
    return output;
  }
}

export async function runExiftoolWrite(args: readonly string[], ignoreMinorErrors: boolean): Promise<{ output: string; warnings: string[] }> {
  const task = new CommandTask([...args], { ignoreMinorErrors });
  const output = await exiftool().enqueueTask(() => task, false);
  return { output, warnings: task.warnings };
}

/**
 * Encodes a value for an exiftool argument read with `-E`: exiftool's arguments are separated
 * by newlines, so a newline in user text would otherwise start a new argument.
 */
export function encodeArgumentValue(value: string | number): string {
  return String(value).replace(/[&\s]|[^\x20-\x7e]/gu, (char) => (char === ' ' ? ' ' : `&#${char.codePointAt(0)};`));
}

export async function exiftoolVersion(): Promise<string> {
  return exiftool().version();
}
