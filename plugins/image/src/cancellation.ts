import { rm } from 'node:fs/promises';
import { PluginError } from '@conveyor/contracts';

export function cancelledError(): PluginError {
  return new PluginError('cancelled', 'image conversion cancelled');
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}

/**
 * Settles like `work`, or rejects with a `cancelled` PluginError as soon as `signal` aborts.
 * `work` itself keeps running: libvips offers no way to stop an encode from outside.
 */
export function settleOrCancel<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // Its outcome no longer matters, but a rejection nobody awaits would still be reported.
    work.catch(() => undefined);
    return Promise.reject(cancelledError());
  }
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
