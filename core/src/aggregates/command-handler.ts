import { parseEventData, type EventEnvelope } from '@conveyor/contracts';
import { ConcurrencyConflictError, type EventLog, type StoredMessage } from '../event-log/port.js';
import { subjects } from '../event-log/subjects.js';
import type { Clock } from '../system/clock.js';
import { deriveId } from '../system/derived-id.js';
import { aggregateTypeOf, type AggregateType } from './aggregate-types.js';
import { StateCache } from './state-cache.js';

export interface CommandMeta {
  aggregateId: string;
  orgId: string;
  /** The command's id; the events it produces derive their ids (and de-duplication ids) from it. */
  commandId: string;
  correlationId: string | null;
}

export interface HandledCommand<State> {
  state: State;
  events: EventEnvelope[];
}

const maxConflictRetries = 8;

/**
 * Runs a command through its aggregate's decider: loads the aggregate's events, decides,
 * appends the new events with optimistic concurrency, and retries on a conflict.
 *
 * Folded states are cached with the sequence they reflect, and an aggregate never seen is
 * assumed new. Such an assumed state is trusted for a decision because the append verifies
 * it (a stale state conflicts); a decision of "nothing to do", or a refusal, taken on it is
 * re-checked against the log before it is believed.
 */
export class CommandHandler {
  private readonly cache = new StateCache(10_000);

  constructor(
    private readonly log: EventLog,
    private readonly clock: Clock,
  ) {}

  async handle<State, Command extends { type: string }, Event extends { type: string; data: unknown }>(
    aggregate: AggregateType<State, Command, Event>,
    meta: CommandMeta,
    command: Command,
  ): Promise<HandledCommand<State>> {
    const subject = subjects.event(aggregate.kind, meta.aggregateId);
    let useCache = true;
    for (let attempt = 0; ; attempt++) {
      const cached = useCache ? this.assumedState(aggregate, subject) : undefined;
      const { state, sequence } = cached ?? (await this.load(aggregate, subject));
      const now = this.clock.now();
      let decided: Event[];
      try {
        decided = aggregate.decider.decide(command, state, { now });
      } catch (error) {
        // A refusal taken on a cached state may only mean the cache is behind (another writer
        // appended what makes the command valid): believe it only from the log itself.
        if (!cached) throw error;
        useCache = false;
        continue;
      }
      if (decided.length === 0) {
        if (cached) {
          useCache = false;
          continue;
        }
        return { state, events: [] };
      }
      try {
        return await this.append(aggregate, meta, subject, state, sequence, decided, now);
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= maxConflictRetries) throw error;
        // The cached state still covers every event up to its sequence: the retry reads only
        // the events the conflict says were appended since, not the aggregate's whole history.
        useCache = false;
      }
    }
  }

  /**
   * What the handler may assume without reading the log: the cached state, or — for an
   * aggregate it has never seen — a new, empty one. Most such commands create the aggregate
   * (the ingress mints the ids), so the guess saves a read; when it is wrong the append
   * conflicts, or the decision is a refusal or a no-op, and the log is read after all.
   */
  private assumedState<State, Command, Event>(
    aggregate: AggregateType<State, Command, Event>,
    subject: string,
  ): { state: State; sequence: number } {
    return this.cache.get<State>(subject) ?? { state: aggregate.decider.initialState(), sequence: 0 };
  }

  /** The aggregate's state as of at least stream sequence `atLeast` (from the cache when it is that fresh). */
  async stateAt<State, Command, Event>(aggregate: AggregateType<State, Command, Event>, aggregateId: string, atLeast: number): Promise<State> {
    const subject = subjects.event(aggregate.kind, aggregateId);
    const cached = this.cache.get<State>(subject);
    if (cached && cached.sequence >= atLeast) return cached.state;
    return (await this.load(aggregate, subject)).state;
  }

  /**
   * Takes note of an event delivered from the log. When the cache holds its aggregate exactly as
   * of the event's predecessor on the subject, the event is folded on, and a later `stateAt` for
   * that event needs no read; otherwise (the log does not say the predecessor, or the cache is
   * elsewhere) nothing changes and the read happens as before.
   */
  observe(message: StoredMessage): void {
    const previous = message.previousSubjectSequence;
    if (previous === undefined) return;
    const envelope = message.payload as EventEnvelope;
    const aggregate = aggregateTypeOf(envelope.aggregate);
    if (!aggregate) return;
    const cached = this.cache.get<unknown>(message.subject);
    const base = cached ?? (previous === 0 ? { state: aggregate.decider.initialState(), sequence: 0 } : undefined);
    if (base?.sequence !== previous) return;
    this.cache.set(message.subject, aggregate.decider.evolve(base.state, { type: envelope.type, data: envelope.data }), message.sequence);
  }

  /**
   * Brings the aggregate's state up to the end of its subject: from the cached state, reading
   * only the events appended since (states are never mutated, so folding onto a cached one is
   * safe), or from the first event when nothing is cached. A cache entry always covers every
   * event up to its sequence, so the events after it are all that can be missing.
   */
  private async load<State, Command, Event>(
    aggregate: AggregateType<State, Command, Event>,
    subject: string,
  ): Promise<{ state: State; sequence: number }> {
    const cached = this.cache.get<State>(subject);
    let state = cached?.state ?? aggregate.decider.initialState();
    let sequence = cached?.sequence ?? 0;
    for (const message of await this.log.readSubject('events', subject, sequence)) {
      const envelope = message.payload as EventEnvelope;
      state = aggregate.decider.evolve(state, { type: envelope.type, data: envelope.data } as Event);
      sequence = message.sequence;
    }
    this.cache.set(subject, state, sequence);
    return { state, sequence };
  }

  private async append<State, Command, Event extends { type: string; data: unknown }>(
    aggregate: AggregateType<State, Command, Event>,
    meta: CommandMeta,
    subject: string,
    initial: State,
    initialSequence: number,
    decided: Event[],
    now: Date,
  ): Promise<HandledCommand<State>> {
    let state = initial;
    let sequence = initialSequence;
    const envelopes: EventEnvelope[] = [];
    for (const [index, event] of decided.entries()) {
      const validated = parseEventData(event.type, event.data);
      const envelope: EventEnvelope = {
        id: deriveId(meta.commandId, `event:${index}`),
        type: validated.type,
        version: 1,
        aggregate: aggregate.kind,
        aggregate_id: meta.aggregateId,
        org_id: meta.orgId,
        occurred_at: now.toISOString(),
        causation_id: meta.commandId,
        correlation_id: meta.correlationId,
        data: validated.data,
      };
      const result = await this.log.append('events', {
        subject,
        messageId: envelope.id,
        payload: envelope,
        expectedLastSubjectSequence: sequence,
      });
      if (result.duplicate) {
        // Appended before (a retried command): the cached view is unreliable now.
        this.cache.delete(subject);
        return { state: (await this.load(aggregate, subject)).state, events: envelopes };
      }
      sequence = result.sequence;
      state = aggregate.decider.evolve(state, event);
      envelopes.push(envelope);
    }
    this.cache.set(subject, state, sequence);
    return { state, events: envelopes };
  }
}
