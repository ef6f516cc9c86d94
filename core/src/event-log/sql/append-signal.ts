import type { StreamKind } from '../port.js';
import type { Doorbell } from './doorbell.js';

/**
 * Tells followers and consumers in this process that a stream got a message, so that an
 * all-in-one process reacts at once instead of at the next poll. Appends from other processes
 * are still found by polling.
 */
export class AppendSignal {
  readonly #listeners = new Map<StreamKind, Set<Doorbell>>();

  /** Rings `doorbell` on every append to `stream` until the returned function is called. */
  subscribe(stream: StreamKind, doorbell: Doorbell): () => void {
    let listeners = this.#listeners.get(stream);
    if (!listeners) this.#listeners.set(stream, (listeners = new Set()));
    listeners.add(doorbell);
    return () => listeners.delete(doorbell);
  }

  notify(stream: StreamKind): void {
    for (const doorbell of this.#listeners.get(stream) ?? []) doorbell.ring();
  }
}

const signalsByDatabase = new WeakMap<object, AppendSignal>();

/**
 * One signal per database object: the API and the workers of an all-in-one process may each
 * build their own SqlEventLog on the shared database, and must still wake each other.
 */
export function appendSignalFor(database: object): AppendSignal {
  let signal = signalsByDatabase.get(database);
  if (!signal) signalsByDatabase.set(database, (signal = new AppendSignal()));
  return signal;
}
