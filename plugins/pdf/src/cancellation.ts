import { rm } from 'node:fs/promises';
import { PluginError } from '@conveyor/contracts';

export function cancelledError(): PluginError {
  return new PluginError('cancelled', 'PDF conversion cancelled');
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/**
 * Lets pending events (a cancel among them) run, then checks the signal. MuPDF's calls are
 * synchronous: without a turn of the event loop between pages, a cancel would only be seen
 * once the whole document is done.
 */
export async function pauseForCancel(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  throwIfCancelled(signal);
}

/** Settles like `work`, or rejects with a `cancelled` PluginError as soon as `signal` aborts. */
export function settleOrCancel<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Deletes a partial or unwanted output; a file that was never written is fine. */
export async function removeOutput(path: string): Promise<void> {
  await rm(path, { force: true });
}
