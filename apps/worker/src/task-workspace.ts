import { mkdtemp, rm, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Delivery } from '@conveyor/core';

/** Why a task's work was stopped from outside. */
export class TaskTimeout extends Error {}

/**
 * Runs `work` with a deadline (its signal aborts with a TaskTimeout) and a heartbeat that keeps
 * the task's delivery alive meanwhile.
 */
export async function withTaskDeadline<T>(settings: { timeoutMs: number; ackWaitMs: number }, delivery: Delivery, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(new TaskTimeout(`took longer than ${settings.timeoutMs} ms`)), settings.timeoutMs);
  const heartbeat = setInterval(() => delivery.working(), Math.max(100, Math.floor(settings.ackWaitMs / 3)));
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(deadline);
    clearInterval(heartbeat);
  }
}

/**
 * Runs `work` in a private folder under `workDir`, with the task's deadline and heartbeat; the
 * folder is removed afterwards, whatever happened.
 */
export async function inTaskWorkspace<T>(
  settings: { workDir: string; timeoutMs: number; ackWaitMs: number },
  name: string,
  delivery: Delivery,
  work: (folder: string, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const folder = await mkdtemp(join(settings.workDir, `${name}-`));
  try {
    return await withTaskDeadline(settings, delivery, (signal) => work(folder, signal));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Removes a task's folder: the files the host put there by name, then the folder itself. A
 * recursive removal lists and examines the folder first: a conversion step's folder took it 14
 * system calls (counted with strace) where these take 3. Whatever else a plugin left there
 * keeps the folder from going, and is then removed recursively.
 */
export async function removeWorkFolder(folder: string, files: readonly string[]): Promise<void> {
  // A file that is missing or cannot be unlinked is the recursive removal's to deal with.
  await Promise.all(files.map((file) => unlink(file).catch(() => undefined)));
  try {
    await rmdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    await rm(folder, { recursive: true, force: true });
  }
}
