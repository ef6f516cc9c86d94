import { PluginError } from './plugin.js';

/** How a plugin's work gives up once its task is cancelled, each function ending in the same `cancelled` PluginError. */
export interface Cancellation {
  /** `cancelled`, with a message that names the work (`image conversion cancelled`). */
  cancelledError(): PluginError;
  /** Throws `cancelledError()` if the signal has fired: for checks between the steps of the work. */
  throwIfCancelled(signal: AbortSignal | undefined): void;
  /**
   * Settles like `work`, or rejects with `cancelledError()` as soon as the signal fires. For
   * work that cannot be stopped from outside (a libvips encode, a workbook being loaded): it
   * runs on, but nobody waits for it, and its own failure is then ignored.
   */
  settleOrCancel<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T>;
}

/**
 * The cancellation of one kind of work, named as its errors will name it.
 *
 * @example export const { cancelledError, throwIfCancelled, settleOrCancel } = cancellationOf('image conversion');
 */
export function cancellationOf(work: string): Cancellation {
  const cancelledError = () => new PluginError('cancelled', `${work} cancelled`);
  const throwIfCancelled = (signal: AbortSignal | undefined) => {
    if (signal?.aborted) throw cancelledError();
  };
  const settleOrCancel = <T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
    if (!signal) return pending;
    // An abandoned promise that rejects later, unheard, would be an unhandled rejection.
    pending.catch(() => undefined);
    if (signal.aborted) return Promise.reject(cancelledError());
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(cancelledError());
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };
  return { cancelledError, throwIfCancelled, settleOrCancel };
}
