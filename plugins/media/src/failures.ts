import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PluginError } from '@conveyor/contracts';

/** Longest ffmpeg reason quoted in an error message. */
const maxReasonLength = 300;

/**
 * The error for a stopped conversion: `timeout` when the signal says the time ran out
 * (AbortSignal.timeout's reason), `cancelled` for anything else.
 */
export function abortedError(signal: AbortSignal): PluginError {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new PluginError('timeout', 'media conversion ran out of time');
  }
  return new PluginError('cancelled', 'media conversion cancelled');
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortedError(signal);
}

/** Deletes a partial or unwanted output; a file that was never written is fine. */
export async function removeOutput(path: string): Promise<void> {
  await rm(path, { force: true });
}

/**
 * ffmpeg's own reason, made fit for a job's error message: the last distinct lines of its
 * error output, without the `[demuxer @ 0x…]` prefixes and without the server's paths.
 */
export function describeToolFailure(stderr: string, paths: Record<string, string>): string {
  let text = stderr;
  for (const [path, name] of Object.entries(paths)) {
    for (const spelling of [`file:${resolve(path)}`, resolve(path), path]) text = text.split(spelling).join(name);
  }
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\[[^\]]* @ 0x[0-9a-f]+\]\s*/i, '').trim())
    .filter((line) => line !== '' && !/^Last message repeated/i.test(line));
  const distinct = lines.filter((line, index) => lines.indexOf(line) === index);
  const reason = distinct.slice(-3).join('; ');
  if (reason === '') return 'no reason given';
  return reason.length > maxReasonLength ? `${reason.slice(0, maxReasonLength - 1)}…` : reason;
}

/**
 * Whether an ffmpeg failure is the encoder's or muxer's rather than the input's: these
 * messages come from setting up the output, so the input was read fine.
 */
export function isOutputSetupFailure(stderr: string): boolean {
  return /Error (while opening encoder|initializing output stream)|Could not write header/i.test(stderr);
}
