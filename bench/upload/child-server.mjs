// A helper server of the benchmark (the raw sink, s3rver) as a child process that announces
// `{ port }` on its first line of output and is stopped when the scope closes.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Starts `node <script> <args>` and resolves to `{ port, pid }` once it has printed its port. */
export async function startChildServer(scope, { script, args, logFile, timeoutMs = 30_000 }) {
  const fd = openSync(logFile, 'a');
  let child;
  try {
    child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', fd] });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  scope.defer(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  });
  const lines = createInterface({ input: child.stdout });
  const firstLine = new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code, signal) => reject(new Error(`${script} ended (${signal ?? code}) before it listened; see ${logFile}`)));
    setTimeout(() => reject(new Error(`${script} did not listen within ${timeoutMs} ms`)), timeoutMs).unref();
  });
  const { port } = JSON.parse(await firstLine);
  return { port, pid: child.pid };
}
