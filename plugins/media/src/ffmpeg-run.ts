import type { FfmpegCommand } from 'fluent-ffmpeg';
import { killGraceMs } from './tool-process.js';

/** The end of stderr kept for the error message: ffmpeg's reason is in its last lines. */
const stderrTailLength = 16 * 1024;

export interface FfmpegRunOptions {
  /** Aborting it stops ffmpeg: SIGTERM, then SIGKILL after `killGraceMs`. */
  signal: AbortSignal;
  /** Offered each stderr line; returns true for a line it used up (progress statistics), which is then left out of `stderr`. */
  takeStderrLine?(line: string): boolean;
  /** Called with the command line once ffmpeg has been spawned. */
  onStart?(commandLine: string): void;
}

export interface FfmpegRunResult {
  /** ffmpeg's exit code; null when it was killed by a signal or never ran. */
  code: number | null;
  /** Why ffmpeg never ran: fluent-ffmpeg could not prepare the command (a format ffmpeg lacks) or spawn it. */
  startFailure?: Error;
  /** The signal was aborted before ffmpeg finished: it was stopped, and its output is not to be trusted. */
  stopped: boolean;
  /** The end of stderr, without the lines `takeStderrLine` took. */
  stderr: string;
}

/**
 * Runs a fluent-ffmpeg command and resolves once ffmpeg has exited, however it ended. Resolving
 * only then is what lets the caller remove a partial output knowing nothing will write it again.
 *
 * Progress comes from the stderr lines, never from fluent-ffmpeg's 'progress' event: listening to
 * that makes fluent-ffmpeg run ffprobe on the input by itself, without the input's restrictions.
 */
export function runFfmpeg(command: FfmpegCommand, options: FfmpegRunOptions): Promise<FfmpegRunResult> {
  const { signal } = options;
  if (signal.aborted) return Promise.resolve({ code: null, stopped: true, stderr: '' });
  return new Promise((resolve) => {
    let spawned = false;
    let stopped = false;
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;

    const terminate = () => {
      command.kill('SIGTERM');
      killTimer = setTimeout(() => command.kill('SIGKILL'), killGraceMs);
    };
    // Before the spawn fluent-ffmpeg is still checking ffmpeg's formats: the stop waits for the process.
    const onAbort = () => {
      stopped = true;
      if (spawned) terminate();
    };
    const settle = (failure?: Error) => {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      const exit = failure ? exitOf(failure) : { code: 0 };
      resolve({ code: exit?.code ?? null, stopped, stderr, ...(failure && !exit && { startFailure: failure }) });
    };

    command.on('start', (commandLine: string) => {
      spawned = true;
      options.onStart?.(commandLine);
      if (stopped) terminate();
    });
    command.on('stderr', (line: string) => {
      if (options.takeStderrLine?.(line)) return;
      stderr = `${stderr}${line}\n`.slice(-stderrTailLength);
    });
    // fluent-ffmpeg emits one of these, once: after ffmpeg has exited and its stdout and stderr have closed.
    command.on('end', () => settle());
    command.on('error', (error: Error) => settle(error));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      command.run();
    } catch (error) {
      settle(error as Error);
    }
  });
}

/** fluent-ffmpeg tells how ffmpeg ended only in its error's message; any other error means ffmpeg never ran. */
function exitOf(error: Error): { code: number | null } | undefined {
  const ended = /^ffmpeg (?:exited with code (\d+)|was killed with signal)/.exec(error.message);
  if (!ended) return undefined;
  return { code: ended[1] === undefined ? null : Number(ended[1]) };
}
