import { PluginError } from '@conveyor/contracts';

export function cancelledError(): PluginError {
  return new PluginError('cancelled', 'data conversion cancelled');
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}

/**
 * Settles like `work`, or rejects with a `cancelled` PluginError as soon as `signal` aborts.
 * `work` keeps running (exceljs cannot be stopped while it loads a workbook) but only in memory.
 */
export function settleOrCancel<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
