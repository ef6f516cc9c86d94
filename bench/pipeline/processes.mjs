// Child processes of the benchmark (the `conveyor` CLI) and the cleanup that must always run.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** The built CLI; BENCH_CLI points elsewhere (e.g. a stand-in while testing the benchmark itself). */
export const CLI = process.env.BENCH_CLI || fileURLToPath(new URL('../../apps/cli/dist/main.js', import.meta.url));

const liveChildren = new Set();
const openScopes = new Set();

// Last resort: if the benchmark itself dies, take its children with it.
process.on('exit', () => {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * A cleanup scope: `defer(fn)` registers work that `close()` runs in reverse order, once,
 * whether the caller finishes normally, throws, or the benchmark is interrupted.
 */
export function createScope(name) {
  const actions = [];
  let closing;
  const scope = {
    name,
    defer(action) {
      actions.push(action);
    },
    close() {
      closing ??= (async () => {
        while (actions.length) {
          const action = actions.pop();
          try {
            await action();
          } catch (error) {
            console.error(`[bench] cleanup in ${name} failed: ${error.message}`);
          }
        }
        openScopes.delete(scope);
      })();
      return closing;
    },
  };
  openScopes.add(scope);
  return scope;
}

/** Closes every scope still open (used on SIGINT/SIGTERM). */
export async function closeAllScopes() {
  await Promise.all([...openScopes].map((scope) => scope.close()));
}

/** A TCP port that was free a moment ago (the server binds it right after). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node apps/cli/dist/main.js <args>` with `env` (and nothing inherited that selects a
 * backend), its output appended to `logFile`.
 */
export function startCli({ name, args, env, logFile }) {
  const fd = openSync(logFile, 'a');
  let child;
  try {
    child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  liveChildren.add(child);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      liveChildren.delete(child);
      resolve({ code: null, signal: null, error });
    });
  });
  let stopping;
  let outcome;
  exited.then((result) => {
    outcome = result;
  });
  return {
    name,
    child,
    exited,
    /** How it ended, for error messages: `exit code 1`, `signal SIGKILL`, or `running`. */
    get ending() {
      if (!outcome) return 'running';
      if (outcome.error) return `spawn error ${outcome.error.message}`;
      return outcome.signal ? `signal ${outcome.signal}` : `exit code ${outcome.code}`;
    },
    logFile,
    get running() {
      return child.exitCode === null && child.signalCode === null && liveChildren.has(child);
    },
    /** SIGTERM, then SIGKILL when it has not exited after `graceMs`. */
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (!liveChildren.has(child)) return;
        child.kill('SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
        if (!stopped) {
          console.error(`[bench] ${name} ignored SIGTERM for ${graceMs} ms; sending SIGKILL`);
          child.kill('SIGKILL');
          await Promise.race([exited, sleep(5_000)]);
        }
      })();
      return stopping;
    },
    logTail(lines = 30) {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
  };
}

/** Runs a CLI command to completion (bounded by `timeoutMs`); throws with its log on failure. */
export async function runCli({ name, args, env, logFile, timeoutMs = 120_000 }) {
  const service = startCli({ name, args, env, logFile });
  const outcome = await Promise.race([service.exited, sleep(timeoutMs).then(() => 'timeout')]);
  if (outcome === 'timeout') {
    await service.stop(2_000);
    throw new Error(`${name} did not finish within ${timeoutMs} ms\n${service.logTail()}`);
  }
  if (outcome.error || outcome.code !== 0) {
    throw new Error(`${name} exited with ${outcome.error?.message ?? outcome.code ?? outcome.signal}\n${service.logTail()}`);
  }
}

/** Waits until `client.healthy()`, failing early if `service` exits, and at `timeoutMs`. */
export async function waitUntilHealthy(service, client, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!service.running) {
      await Promise.race([service.exited, sleep(1_000)]);
      throw new Error(`${service.name} ended (${service.ending}) before it was healthy\n${service.logTail()}`);
    }
    if (await client.healthy()) return;
    await sleep(100);
  }
  throw new Error(`${service.name} was not healthy within ${timeoutMs} ms\n${service.logTail()}`);
}

/** The parent's environment without anything that would select a backend or a listen address. */
export function baseEnvironment(extra) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      /^(PORT|HOST|DATA_DIR|BLOB_DIR|NATS_URL|DATABASE_URL|CONVEYOR_[A-Z_]+|SESSION_SECRET|WORKER_CONCURRENCY|MAX_[A-Z_]+|S3_[A-Z_]+)$/.test(key)
    ) {
      delete env[key];
    }
  }
  return { ...env, ...extra };
}
