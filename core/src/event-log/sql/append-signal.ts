import type { StreamKind } from '../port.js';
import { subjectMatches } from '../subjects.js';
import type { Doorbell } from './doorbell.js';

interface Listener {
  doorbell: Doorbell;
  /** Only appends on matching subjects ring it; every append when undefined. */
  subjectFilter: string | undefined;
}

/**
 * Tells followers and consumers in this process that a stream got a message, so that an
 * all-in-one process reacts at once instead of at the next poll. Appends from other processes
 * are still found by polling.
 *
 * A consumer is rung only for subjects its filter matches: a stream of tasks has a consumer
 * per kind of task, and waking every one of them for each task costs each a claim that finds
 * nothing. Their positions catch up over unmatched messages at their next claim or poll.
 */
export class AppendSignal {
  readonly #listeners = new Map<StreamKind, Set<Listener>>();

  /** Rings `doorbell` on every append to `stream` (on a subject `subjectFilter` matches, when given) until the returned function is called. */
  subscribe(stream: StreamKind, doorbell: Doorbell, subjectFilter?: string): () => void {
    let listeners = this.#listeners.get(stream);
    if (!listeners) this.#listeners.set(stream, (listeners = new Set()));
    const listener = { doorbell, subjectFilter };
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** An append to `stream`, on `subject` if known; without one, every listener of the stream is rung. */
  notify(stream: StreamKind, subject?: string): void {
    for (const { doorbell, subjectFilter } of this.#listeners.get(stream) ?? []) {
      if (subject === undefined || subjectFilter === undefined || subjectMatches(subjectFilter, subject)) doorbell.ring();
    }
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
