import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { boundToThisProcess } from '@conveyor/contracts';
import { createProfile } from './office-profile.js';
import { officeEnvironment, type OfficeSettings } from './office-settings.js';

/** soffice.bin's exit code for "restart me": it finished setting up a new profile. */
const restartRequestedExitCode = 81;
/** How long a start may take before the listener counts as broken. */
const startTimeoutMs = 30_000;
const portPollMs = 25;
/** Most of soffice.bin's stderr kept, to explain a start that failed. */
const stderrTailBytes = 4096;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One warm LibreOffice: a soffice.bin accepting UNO connections on a local port, with a
 * profile of its own. It can be killed at any moment (a cancelled or runaway document) and
 * started again on the same profile, which then takes well under a second.
 */
export class OfficeListener {
  private process: ChildProcess | undefined;
  private starting: Promise<number> | undefined;
  private profileReady = false;
  private stopped = false;
  private stderrTail = '';
  /** The soffice.bin that last answered on its port. */
  private readyChild: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly index: number,
    private readonly settings: OfficeSettings,
  ) {}

  get profileDirectory(): string {
    return join(this.settings.profileRoot, `profile-${process.pid}-${this.index}`);
  }

  /** The process id of the running soffice.bin, if any (for the exit hook). */
  get pid(): number | undefined {
    return this.process?.exitCode === null && this.process.signalCode === null ? this.process.pid : undefined;
  }

  /** The port of a running, connectable listener; starts one if there is none. */
  ready(): Promise<number> {
    if (this.stopped) return Promise.reject(new Error('the LibreOffice pool has been shut down'));
    if (!this.starting) {
      const attempt = this.start();
      this.starting = attempt;
      // A failed start is tried again on next use; a newer start is left alone.
      attempt.catch(() => {
        if (this.starting === attempt) this.starting = undefined;
      });
    }
    return this.starting;
  }

  /** Kills soffice.bin at once (a hung or cancelled document goes with it) and starts a fresh one. */
  async restart(): Promise<void> {
    await this.kill();
    if (!this.stopped) this.ready().catch(() => undefined);
  }

  /** Kills soffice.bin and resolves once it has exited. */
  async kill(): Promise<void> {
    const child = this.process;
    this.starting = undefined;
    this.process = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      // Unreferenced so that the pool never keeps the host alive, but whoever waits for the
      // exit here (a shutdown at the end of a script) must keep the event loop going until then.
      child.ref();
      child.kill('SIGKILL');
    }
    await this.exited;
  }

  /** Kills soffice.bin for good and removes its profile. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.kill();
    await rm(this.profileDirectory, { recursive: true, force: true });
  }

  /** Kills synchronously, for the process's exit hook. */
  killNow(): void {
    const pid = this.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  private async start(): Promise<number> {
    if (!this.profileReady) {
      await createProfile(this.profileDirectory);
      this.profileReady = true;
    }
    const port = await freePort();
    const deadline = performance.now() + startTimeoutMs;
    for (;;) {
      const child = this.spawnOffice(port);
      const outcome = await this.waitUntilConnectable(child, port, deadline);
      if (outcome === 'ready') {
        this.readyChild = child;
        return port;
      }
      if (outcome !== restartRequestedExitCode) {
        throw new Error(`LibreOffice (${this.settings.sofficeBinary}) did not start: ${outcome}${this.stderrTail ? `; it said: ${this.stderrTail.trim()}` : ''}`);
      }
      // A new profile: soffice.bin set it up and asks to be started again, as its launcher would.
    }
  }

  private spawnOffice(port: number): ChildProcess {
    // Bound to this process: a listener left behind by a Conveyor killed outright would hold its
    // hundred-odd MB for ever.
    const [file, args] = boundToThisProcess(this.settings.sofficeBinary, [
      `-env:UserInstallation=${pathToFileURL(this.profileDirectory).href}`,
      '--headless',
      '--invisible',
      '--nocrashreport',
      '--nodefault',
      '--nologo',
      '--nofirststartwizard',
      '--norestore',
      '--nolockcheck',
      `--accept=socket,host=127.0.0.1,port=${port};urp;StarOffice.ComponentContext`,
    ]);
    // Started in the profile root, never in a job folder that happens to be the cwd.
    const child = spawn(file, args, { cwd: this.settings.profileRoot, env: officeEnvironment(this.settings), stdio: ['ignore', 'ignore', 'pipe'] });
    this.process = child;
    this.stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-stderrTailBytes);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        // A listener that died on its own (a crash on some document) starts again on next use.
        if (this.process === child) this.process = undefined;
        if (this.readyChild === child) {
          this.readyChild = undefined;
          this.starting = undefined;
        }
        resolve();
      });
      child.once('error', () => resolve());
    });
    // The pool must not keep the host alive on its own.
    child.unref();
    (child.stderr as { unref?: () => void } | null)?.unref?.();
    return child;
  }

  private async waitUntilConnectable(child: ChildProcess, port: number, deadline: number): Promise<'ready' | number | string> {
    let failure: string | undefined;
    child.once('error', (error) => (failure = error.message));
    while (performance.now() < deadline) {
      if (failure !== undefined) return failure;
      if (child.exitCode !== null) return child.exitCode;
      if (child.signalCode !== null) return `killed by ${child.signalCode}`;
      if (this.process !== child) return 'stopped while starting';
      if (await portAnswers(port)) return 'ready';
      await delay(portPollMs);
    }
    child.kill('SIGKILL');
    return `no answer on port ${port} within ${startTimeoutMs} ms`;
  }
}
