import type { StreamKind } from '../port.js';

/** The first token of every logical subject of a stream kind (`evt.conversion.<id>` → `evt`). */
export const subjectRoots: Record<StreamKind, string> = {
  commands: 'cmd',
  events: 'evt',
  tasks: 'task',
};

/**
 * Maps the log's logical names onto one deployment's physical ones. Every physical subject and
 * stream name carries the namespace, so that several deployments (or test runs) can share one
 * NATS server without seeing each other's messages.
 *
 * @example
 * const conveyor = new Namespace('conveyor');
 * conveyor.streamName('events');                     // 'CONVEYOR_EVENTS'
 * conveyor.physicalSubject('evt.conversion.abc');    // 'conveyor.evt.conversion.abc'
 */
export class Namespace {
  readonly #prefix: string;

  constructor(readonly name: string) {
    // One subject token, and a legal part of a stream name: no dots, wildcards or whitespace.
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      throw new Error(`invalid JetStream namespace "${name}": use letters, digits, "_" and "-" only`);
    }
    this.#prefix = `${name}.`;
  }

  streamName(kind: StreamKind): string {
    return `${this.name.toUpperCase()}_${kind.toUpperCase()}`;
  }

  /** The wildcard that captures every subject of a stream kind (`conveyor.evt.>`). */
  streamSubjects(kind: StreamKind): string {
    return `${this.#prefix}${subjectRoots[kind]}.>`;
  }

  /** Works for subject filters too: `task.convert.>` → `conveyor.task.convert.>`. */
  physicalSubject(logical: string): string {
    return this.#prefix + logical;
  }

  logicalSubject(physical: string): string {
    if (!physical.startsWith(this.#prefix)) {
      throw new Error(`subject ${physical} is outside namespace ${this.name}`);
    }
    return physical.slice(this.#prefix.length);
  }

  /** Appending `cmd.x` to the events stream would land in the commands stream: refuse it early. */
  assertBelongsTo(kind: StreamKind, logicalSubject: string): void {
    if (!logicalSubject.startsWith(`${subjectRoots[kind]}.`)) {
      throw new Error(`subject ${logicalSubject} does not belong to the ${kind} stream (expected ${subjectRoots[kind]}.…)`);
    }
  }
}
