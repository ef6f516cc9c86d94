import { OfficeListener } from './office-listener.js';
import { officeSettings, type OfficeSettings } from './office-settings.js';

/** A listener lent to one conversion; `release` gives it back (after a restart, if it was killed). */
export interface Lease {
  listener: OfficeListener;
  port: number;
  release(): void;
}

interface Waiter {
  grant(listener: OfficeListener): void;
}

/**
 * A fixed number of warm LibreOffice listeners, lent to one conversion at a time each: two
 * documents never share a soffice.bin, so killing one for a runaway document harms no other.
 * Conversions beyond the pool's size wait their turn, first come first served.
 */
export class OfficePool {
  private readonly listeners: OfficeListener[];
  private readonly idle: OfficeListener[];
  private readonly waiters: Waiter[] = [];
  private closed = false;

  constructor(readonly settings: OfficeSettings) {
    this.listeners = Array.from({ length: settings.poolSize }, (_, index) => new OfficeListener(index, settings));
    this.idle = [...this.listeners];
  }

  /** Waits for a free listener, started and connectable; rejects if `signal` aborts first. */
  async acquire(signal: AbortSignal): Promise<Lease> {
    const listener = await this.takeListener(signal);
    try {
      const port = await listener.ready();
      return { listener, port, release: () => this.giveBack(listener) };
    } catch (error) {
      this.giveBack(listener);
      throw error;
    }
  }

  /** Starts every listener now rather than on first use. */
  async warm(): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener.ready()));
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    await Promise.all(this.listeners.map((listener) => listener.shutdown()));
  }

  killNow(): void {
    for (const listener of this.listeners) listener.killNow();
  }

  private takeListener(signal: AbortSignal): Promise<OfficeListener> {
    if (this.closed) return Promise.reject(new Error('the LibreOffice pool has been shut down'));
    const free = this.idle.shift();
    if (free) return Promise.resolve(free);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (listener) => {
          signal.removeEventListener('abort', onAbort);
          resolve(listener);
        },
      };
      const onAbort = () => {
        const position = this.waiters.indexOf(waiter);
        if (position >= 0) this.waiters.splice(position, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private giveBack(listener: OfficeListener): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.grant(listener);
    else this.idle.push(listener);
  }
}

let pool: OfficePool | undefined;
let exitHookInstalled = false;

/** The process's pool, made on first use from the settings read when the module loaded. */
export function officePool(): OfficePool {
  if (!pool) {
    pool = new OfficePool(officeSettings());
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // Listeners are not detached from the host, but a host that exits must not leave them running.
      process.once('exit', () => pool?.killNow());
    }
  }
  return pool;
}

/**
 * Stops every LibreOffice listener and removes their profiles. The next conversion starts a
 * new pool. For hosts shutting down cleanly, and for tests.
 */
export async function shutdownOfficePool(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.shutdown();
}
