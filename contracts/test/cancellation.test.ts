import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cancellationOf } from '../src/cancellation.js';
import { PluginError } from '../src/plugin.js';

const { cancelledError, throwIfCancelled, settleOrCancel } = cancellationOf('image conversion');

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('cancellationOf', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    process.off('unhandledRejection', record);
  });

  it('names the work in a cancelled PluginError', () => {
    const error = cancelledError();
    expect(error).toBeInstanceOf(PluginError);
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe('image conversion cancelled');
  });

  it('throws only once the signal has fired', () => {
    const controller = new AbortController();
    expect(() => throwIfCancelled(controller.signal)).not.toThrow();
    expect(() => throwIfCancelled(undefined)).not.toThrow();
    controller.abort();
    expect(() => throwIfCancelled(controller.signal)).toThrow('image conversion cancelled');
  });

  it('settles like the work while the signal stays quiet', async () => {
    const controller = new AbortController();
    await expect(settleOrCancel(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(settleOrCancel(Promise.reject(new Error('bad pixels')), controller.signal)).rejects.toThrow('bad pixels');
    await expect(settleOrCancel(Promise.resolve('no signal'), undefined)).resolves.toBe('no signal');
  });

  it('rejects as soon as the signal fires, without waiting for the work', async () => {
    const controller = new AbortController();
    const work = deferred<number>();
    const settled = settleOrCancel(work.promise, controller.signal);
    controller.abort();
    await expect(settled).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('leaves no unhandled rejection behind when abandoned work fails later', async () => {
    const cancelledBefore = new AbortController();
    cancelledBefore.abort();
    const early = deferred<number>();
    await expect(settleOrCancel(early.promise, cancelledBefore.signal)).rejects.toMatchObject({ code: 'cancelled' });

    const cancelledDuring = new AbortController();
    const late = deferred<number>();
    const settled = settleOrCancel(late.promise, cancelledDuring.signal);
    cancelledDuring.abort();
    await expect(settled).rejects.toMatchObject({ code: 'cancelled' });

    early.reject(new Error('decoder failed after the cancel'));
    late.reject(new Error('encoder failed after the cancel'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
  });
});
