import { spawn } from 'node:child_process';
import { PluginError } from '@conveyor/contracts';
import { cancelledError } from './cancellation.js';

export interface ProcessResult {
  stdout: Buffer;
  stderr: string;
}

/** Longest a single ffmpeg/ffprobe run may take: metadata work copies streams, it never re-encodes. */
const processTimeoutMs = 120_000;
/** Most stdout kept: ffprobe's JSON for a file with many streams stays far below this. */
const maxStdoutBytes = 16 * 1024 * 1024;

/**
 * Runs `command` with `args` (no shell) and resolves with its output when it exits with 0.
 * The child is killed when `signal` aborts (rejecting with `cancelled`) or when it overruns its
 * time; a non-zero exit rejects with a plain Error carrying the end of stderr, for the caller
 * to classify.
 */
export function runProcess(command: string, args: readonly string[], signal: AbortSignal): Promise<ProcessResult> {
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      action();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(() => reject(cancelledError()));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new PluginError('timeout', `${command} did not finish within ${processTimeoutMs / 1000} s`)));
    }, processTimeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdoutBytes) {
        child.kill('SIGKILL');
        finish(() => reject(new PluginError('limit_exceeded', `${command} printed more than ${maxStdoutBytes} bytes`)));
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Only the end matters for a message; keep it bounded.
      err = (err + chunk.toString()).slice(-4000);
    });
    child.on('error', (error) => finish(() => reject(error)));
    child.on('close', (code) => {
      finish(() => {
        if (code === 0) resolve({ stdout: Buffer.concat(out), stderr: err });
        else reject(new Error(`${command} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      });
    });
  });
}
