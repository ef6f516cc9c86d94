import { spawn } from 'node:child_process';
import { boundToThisProcess, locateExecutable } from '@conveyor/contracts';

/** Enough of stderr to say why a tool failed: its reason is in the last lines. */
const stderrTailBytes = 8 * 1024;
const maxStdoutBytes = 1024 * 1024;
const killGraceMs = 200;

export type ToolRun =
  | { outcome: 'exited'; code: number | null; stdout: string; stderr: string }
  | { outcome: 'missing' }
  | { outcome: 'cancelled' }
  | { outcome: 'timed-out' }
  | { outcome: 'overflowed' };

/**
 * Runs a tool with only PATH and the C locale in its environment (ffprobe reads variables of its
 * own, such as FFREPORT, that would make it write files), stopped on abort or after `timeoutMs`.
 * The tool is bound to this process (it dies with a worker killed outright), which runs it
 * through setpriv; so a missing tool is found missing before the spawn, not by its exit code.
 */
export function runTool(command: string, args: readonly string[], signal: AbortSignal, timeoutMs: number): Promise<ToolRun> {
  const path = process.env.PATH ?? '/usr/bin:/bin';
  const executable = locateExecutable(command, path);
  if (!executable) return Promise.resolve({ outcome: 'missing' });
  return new Promise((resolve) => {
    const [program, boundArgs] = boundToThisProcess(executable, args);
    const child = spawn(program, boundArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: path, LC_ALL: 'C' } });
    let stdout = '';
    let stderr = '';
    let ending: ToolRun['outcome'] | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: NonNullable<typeof ending>) => {
      ending ??= why;
      child.kill('SIGTERM');
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), killGraceMs);
    };
    const onAbort = () => stop('cancelled');
    const timer = setTimeout(() => stop('timed-out'), timeoutMs);
    const settle = (run: ToolRun) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      signal.removeEventListener('abort', onAbort);
      resolve(run);
    };
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      if (stdout.length > maxStdoutBytes) stop('overflowed');
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-stderrTailBytes)));
    child.once('error', (error: NodeJS.ErrnoException) => settle(error.code === 'ENOENT' ? { outcome: 'missing' } : { outcome: 'exited', code: null, stdout: '', stderr: error.message }));
    child.once('close', (code) => {
      if (ending === 'cancelled' || ending === 'timed-out' || ending === 'overflowed') settle({ outcome: ending });
      else settle({ outcome: 'exited', code, stdout, stderr });
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
