import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const cliPath = fileURLToPath(new URL('../../../apps/cli/dist/main.js', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

/** One `conveyor <command>` child process, with its output kept for failure reports. */
export class ConveyorProcess {
  private output = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(command: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [cliPath, command], {
      // These tests convert many files in one org at once: the free plan's job and request limits
      // would refuse them. Plans have tests of their own.
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', DEFAULT_PLAN: 'enterprise', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
    this.exited = once(this.child, 'exit').then(([code]) => code as number | null);
  }

  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends SIGINT (Ctrl-C) and waits for a clean exit; kills it if it takes too long. */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** Polls the health route until it answers 200, or fails with the process output. */
export async function waitForHealthy(baseUrl: string, process: ConveyorProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/api/health`).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`conveyor did not become healthy at ${baseUrl}:\n${process.log}`);
}
