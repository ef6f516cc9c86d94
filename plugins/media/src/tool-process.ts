import { spawn } from 'node:child_process';
import { boundToThisProcess } from '@conveyor/contracts';
import { toolEnvironment } from './tool-environment.js';

/** How long ffmpeg or ffprobe gets to exit on SIGTERM before it is killed outright. */
export const killGraceMs = 200;
/** The end of stderr kept for the error message: ffmpeg's reason is in its last lines. */
const stderrTailBytes = 16 * 1024;

export interface ToolRunOptions {
  /** Aborting it stops the process: SIGTERM, then SIGKILL after `killGraceMs`. */
  signal: AbortSignal;
  /** Called with stdout as it arrives; when absent, stdout is collected into the result instead. */
  onStdout?(text: string): void;
  /** Most stdout bytes collected; more means a misbehaving input, and the process is stopped. */
  maxStdoutBytes?: number;
}

export interface ToolRunResult {
  /** The exit code, or null when the process was killed. */
  code: number | null;
  /** Collected stdout (empty when `onStdout` took it). */
  stdout: string;
  /** The end of stderr. */
  stderr: string;
  /** The signal was aborted while the process ran: it was stopped, and its output is not to be trusted. */
  stopped: boolean;
  /** stdout outgrew `maxStdoutBytes`, and the process was stopped for it. */
  overflowed: boolean;
}

/**
 * Runs a tool directly (ffprobe, and ffmpeg's version and encoder listings for the probe; the
 * conversions run ffmpeg through fluent-ffmpeg) and resolves once it has exited, however it
 * ended; rejects only when it could not be started (where setpriv binds it to this process, a
 * missing tool is setpriv's exit code 127 instead, its reason on stderr). The environment is
 * `toolEnvironment()`.
 */
export function runTool(command: string, args: readonly string[], options: ToolRunOptions): Promise<ToolRunResult> {
  return new Promise((resolve, reject) => {
    // Bound to this process: a worker killed outright leaves no ffprobe behind.
    const [program, boundArgs] = boundToThisProcess(command, args);
    const child = spawn(program, boundArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: toolEnvironment(),
      windowsHide: true,
    });
    let stdout = '';
    let stdoutBytes = 0;
    let stderr = '';
    let stopped = false;
    let overflowed = false;
    let killTimer: NodeJS.Timeout | undefined;

    const stop = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
    };
    const onAbort = () => {
      stopped = true;
      stop();
    };

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      if (options.onStdout) return options.onStdout(text);
      stdoutBytes += Buffer.byteLength(text);
      if (options.maxStdoutBytes !== undefined && stdoutBytes > options.maxStdoutBytes) {
        overflowed = true;
        stop();
        return;
      }
      stdout += text;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-stderrTailBytes);
    });
    child.once('error', (error) => {
      options.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      reject(error);
    });
    child.once('close', (code) => {
      options.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      resolve({ code, stdout, stderr, stopped, overflowed });
    });

    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
  });
}
