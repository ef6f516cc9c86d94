import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pingClamd } from '../src/clamd-client.js';

export const clamdBinary = process.env.CLAMD_BINARY ?? '/usr/sbin/clamd';

/** A body pattern that only the test database knows: a match proves the verdict came from ClamAV. */
export const testPattern = 'CONVEYOR-CLAMAV-TEST-PATTERN-7f3a';
export const testPatternSignature = 'Conveyor-Test-Pattern';
/** clamd stops reading a stream past this (StreamMaxLength). */
export const streamMaxLength = 4 * 1024 * 1024;

export interface RunningClamd {
  socketPath: string;
  tcpPort: number;
  stop(): Promise<void>;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a real clamd in the foreground, listening on a unix socket and on 127.0.0.1, with a
 * database of two signatures written here: the EICAR file by its MD5 (test.hdb) and a body
 * pattern of this suite's own (test.ndb). ClamAV's official databases are not needed.
 */
export async function startClamd(): Promise<RunningClamd> {
  if (!existsSync(clamdBinary)) {
    throw new Error(`clamd is not installed at ${clamdBinary}: install the Debian package clamav-daemon (these tests run against a real clamd) or set CLAMD_BINARY`);
  }
  const folder = mkdtempSync(join(tmpdir(), 'conveyor-clamd-'));
  const database = join(folder, 'db');
  mkdirSync(database);
  writeFileSync(join(database, 'test.hdb'), '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n');
  writeFileSync(join(database, 'test.ndb'), `${testPatternSignature}:0:*:${Buffer.from(testPattern).toString('hex')}\n`);
  const socketPath = join(folder, 'clamd.sock');
  const tcpPort = await freePort();
  const config = [
    'Foreground yes',
    `LocalSocket ${socketPath}`,
    `TCPSocket ${tcpPort}`,
    'TCPAddr 127.0.0.1',
    `DatabaseDirectory ${database}`,
    `TemporaryDirectory ${folder}`,
    `StreamMaxLength ${streamMaxLength}`,
    'LogTime no',
  ];
  const configPath = join(folder, 'clamd.conf');
  writeFileSync(configPath, `${config.join('\n')}\n`);
  const child = spawn(clamdBinary, ['-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
  const stop = async () => {
    await stopProcess(child);
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await waitForPing(child, socketPath, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { socketPath, tcpPort, stop };
}

async function waitForPing(child: ChildProcess, socketPath: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`clamd exited (${child.exitCode ?? child.signalCode}) before answering PING:\n${output()}`);
    try {
      await pingClamd({ target: { socketPath }, timeoutMs: 2000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`clamd did not answer PING within 60 s (${(error as Error).message}):\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
