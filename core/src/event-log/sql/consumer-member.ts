import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../system/clock.js';
import type { IdGenerator } from '../../system/ids.js';
import { deadLetterAppend } from '../dead-letter.js';
import type { ConsumeOptions, ConsumerHandle, Delivery, DeliveryHandler, StreamKind } from '../port.js';
import { appendMessage } from './append.js';
import type { AppendSignal } from './append-signal.js';
import {
  ackDeliveries,
  claimDeliveries,
  moveDeadline,
  type ClaimedDelivery,
  type ConsumerKey,
  type ExhaustedDelivery,
} from './consumer-claims.js';
import { Doorbell } from './doorbell.js';
import { IdlePoll } from './idle-poll.js';
import { retryDelayMs } from './redelivery.js';
import type { EventLogTables } from './tables.js';
import { WriteBatcher } from './write-batcher.js';

const pauseAfterErrorMs = 1_000;
/** A claim that settles at least this many messages is taken as a sign of load... */
const busyClaimSize = 8;
/**
 * ...after which the member waits this long before it claims again, so that its next claim
 * takes more at once: 40 ms ran about 8 % more jobs a second than 20 ms in the embedded
 * throughput bench (3 of 3 alternating runs); only a busy member pauses.
 */
const busyPauseMs = 40;
/** How long a member with work waiting and fewer than half its slots free waits for more to free before it claims. */
const slotGatherMs = 10;
/** How long an ack waits for a claim to ride with before it is written on its own. */
const ackGatherMs = 25;

export interface ConsumerMemberDependencies {
  db: Kysely<EventLogTables>;
  signal: AppendSignal;
  clock: Clock;
  ids: IdGenerator;
  pollIntervalMs: number;
  /** The longest wait between claims once they keep finding nothing (see IdlePoll). */
  idlePollMaxMs: number;
  reportError: (error: unknown, context: string) => void;
}

/**
 * One member of a durable consumer in this process: claims as many messages as it has free
 * handler slots, runs the handler on each, and acks, retries or dead-letters. It wakes on the
 * poll interval (longer while claims keep finding nothing), on appends to its stream made in
 * this process, when a handler finishes, and when a retry it scheduled falls due.
 *
 * A handler's slot is free as soon as the handler is done; its ack rides with the claim that
 * slot makes when more work waits, and otherwise goes out on its own, batched with the acks of
 * the same moment.
 */
export class SqlConsumerMember implements ConsumerHandle {
  readonly #key: ConsumerKey;
  readonly #doorbell = new Doorbell();
  /** Every delivery still being handled or settled: stopping waits for them. */
  readonly #inFlight = new Set<Promise<void>>();
  #busySlots = 0;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #stopped: Promise<void> | undefined;
  #unsubscribe: (() => void) | undefined;
  #acks: WriteBatcher<number, void> | undefined;
  /**
   * More may be waiting than the member could take: its last claim filled every slot it asked
   * for, or it was rung while every slot was busy. A freed slot then claims at once; otherwise
   * it waits for the next append's ring, sparing the database a claim that would find nothing.
   */
  #backlog = false;
  #wakeFromPause: (() => void) | undefined;
  #slotGatherTimer: NodeJS.Timeout | undefined;
  #slotGatherEnded = false;
  readonly #idle: IdlePoll;
  /** Rings for retries falling due: a backed-off poll could find them late. */
  readonly #retryTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly dependencies: ConsumerMemberDependencies,
    stream: StreamKind,
    private readonly options: ConsumeOptions,
    private readonly handler: DeliveryHandler,
  ) {
    this.#key = { stream, consumer: options.consumer };
    this.#idle = new IdlePoll(dependencies.pollIntervalMs, dependencies.idlePollMaxMs);
  }

  start(): void {
    // An ack waits a moment for the member's next claim to take it along: the claim a freed slot
    // makes in the same turn, or the one the next append rings for. The message is done either
    // way; only a crash in that moment would have it delivered again.
    const writeAcks = async (sequences: number[]) => {
      await ackDeliveries(this.dependencies.db, this.#key, sequences);
      return sequences.map(() => undefined);
    };
    this.#acks = new WriteBatcher(writeAcks, { gatherMs: ackGatherMs });
    this.#unsubscribe = this.dependencies.signal.subscribe(this.#key.stream, this.#doorbell, this.options.subjectFilter);
    this.#loop = this.#run();
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#stopping = true;
      this.#wakeFromPause?.();
      this.#doorbell.ring();
      await this.#loop;
      clearTimeout(this.#slotGatherTimer);
      for (const timer of this.#retryTimers) clearTimeout(timer);
      this.#unsubscribe?.();
      await Promise.allSettled([...this.#inFlight]);
      await this.#acks?.drain();
    })();
    return this.#stopped;
  }

  async #run(): Promise<void> {
    const { pollIntervalMs } = this.dependencies;
    while (!this.#stopping) {
      const freeSlots = this.options.concurrency - this.#busySlots;
      let filledEverySlot = false;
      let pauseMs = pollIntervalMs;
      if (freeSlots === 0) this.#backlog = true;
      else if (this.#gatheringSlots(freeSlots)) {
        // Woken by the next freed slot, by the gathering's end, or by a stop.
      } else {
        try {
          const settled = await this.#claim(freeSlots);
          filledEverySlot = settled >= freeSlots;
          pauseMs = this.#idle.next(settled);
          // Under load every append rings, and a claim for each few messages costs the database
          // more than the messages do: let them gather for a moment.
          if (settled >= busyClaimSize) await this.#pause(busyPauseMs);
        } catch (error) {
          this.dependencies.reportError(error, `claiming for consumer ${this.options.consumer}`);
          pauseMs = Math.max(pollIntervalMs, pauseAfterErrorMs); // an unreachable database is not asked 20 times a second
        }
      }
      // A full claim suggests more is waiting: go again at once. Otherwise sleep until rung.
      if (!filledEverySlot && !this.#stopping) await this.#doorbell.wait(pauseMs);
    }
  }

  /**
   * With work waiting, a slot that frees would claim one message, and a claim costs the database
   * more than the message does: while fewer than half the slots are free, wait up to
   * slotGatherMs for more to free, then claim for all of them at once.
   */
  #gatheringSlots(freeSlots: number): boolean {
    if (!this.#backlog || freeSlots * 2 >= this.options.concurrency || this.#slotGatherEnded) {
      clearTimeout(this.#slotGatherTimer);
      this.#slotGatherTimer = undefined;
      this.#slotGatherEnded = false;
      return false;
    }
    this.#slotGatherTimer ??= setTimeout(() => {
      this.#slotGatherTimer = undefined;
      this.#slotGatherEnded = true;
      this.#doorbell.ring();
    }, slotGatherMs);
    return true;
  }

  /** Sleeps `ms`, or less when the member is stopped meanwhile. */
  async #pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wakeFromPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wakeFromPause = undefined;
  }

  /** Returns how many messages the claim settled (handed to handlers or dead-lettered). */
  async #claim(limit: number): Promise<number> {
    const { db } = this.dependencies;
    const acks = this.#acks!.take();
    let claim: Awaited<ReturnType<typeof claimDeliveries>>;
    try {
      claim = await claimDeliveries(
        db,
        { ...this.#key, limit, ackWaitMs: this.options.ackWaitMs, maxDeliver: this.options.maxDeliver, acked: acks.items },
        (trx, messages) => this.#deadLetter(trx, messages),
      );
    } catch (error) {
      acks.settle({ error });
      throw error;
    }
    acks.settle({ results: acks.items.map(() => undefined) });
    const { claimed, exhausted, moreToAdmit } = claim;
    if (exhausted.length > 0) this.dependencies.signal.notify('events');
    const settled = claimed.length + exhausted.length;
    this.#backlog = settled >= limit || moreToAdmit;
    for (const delivery of claimed) this.#dispatch(delivery);
    // A position far behind (appends it was not rung for) is caught up at once, not a batch per poll.
    if (moreToAdmit) this.#doorbell.ring();
    return settled;
  }

  async #deadLetter(trx: Transaction<EventLogTables>, exhausted: ExhaustedDelivery[]): Promise<void> {
    for (const message of exhausted) {
      const request = deadLetterAppend({
        eventId: this.dependencies.ids.next(),
        stream: this.#key.stream,
        consumer: this.#key.consumer,
        subject: message.subject,
        sequence: message.sequence,
        deliveries: message.deliveries,
        deadLetteredAt: this.dependencies.clock.now(),
      });
      await appendMessage(trx, 'events', request);
    }
  }

  #dispatch(claimed: ClaimedDelivery): void {
    this.#busySlots++;
    const handling = this.#handle(claimed).finally(() => this.#inFlight.delete(handling));
    this.#inFlight.add(handling);
  }

  /** Runs the handler, frees the slot, then acks or moves the deadline; never rejects. */
  async #handle(claimed: ClaimedDelivery): Promise<void> {
    const { db, reportError } = this.dependencies;
    const position = { sequence: claimed.message.sequence, deliveryCount: claimed.deliveryCount };
    const lease = new LeaseExtender(() => moveDeadline(db, this.#key, position, this.options.ackWaitMs), this.options.ackWaitMs);
    const delivery: Delivery = { message: claimed.message, deliveryCount: claimed.deliveryCount, working: () => lease.extend(reportError) };
    let succeeded: boolean;
    try {
      await this.handler(delivery);
      succeeded = true;
    } catch {
      succeeded = false;
    }
    await lease.end(); // so that a late extension cannot push back a retry's deadline
    this.#busySlots--;
    try {
      if (succeeded) {
        const acked = this.#acks!.add(position.sequence);
        // The freed slot is worth a claim when work waits; the ack rides with it.
        if (this.#backlog) this.#doorbell.ring();
        await acked;
      } else {
        const retryDelayMs = this.#retryDelay(claimed.deliveryCount);
        await moveDeadline(db, this.#key, position, retryDelayMs);
        // Due again (a retry, or a dead-letter after its last delivery): worth a claim, then or now.
        if (retryDelayMs > 0) this.#ringAfter(retryDelayMs);
        this.#doorbell.ring();
      }
    } catch (error) {
      // The lease runs out on its own and the message is offered again: nothing is lost.
      reportError(error, `settling ${this.#key.stream} #${position.sequence} for consumer ${this.#key.consumer}`);
      if (!succeeded) this.#doorbell.ring();
    }
  }

  #ringAfter(delayMs: number): void {
    if (this.#stopping) return;
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      this.#doorbell.ring();
    }, delayMs);
    this.#retryTimers.add(timer);
  }

  // The last allowed delivery failed: no point in waiting, dead-letter it at the next claim.
  #retryDelay(deliveryCount: number): number {
    return deliveryCount >= this.options.maxDeliver ? 0 : retryDelayMs(deliveryCount, this.options.ackWaitMs);
  }
}

/**
 * Turns `working()` calls into deadline extensions without flooding the database: at most one
 * update in flight, and none more often than a fifth of ackWait.
 */
class LeaseExtender {
  #lastExtendedAt = Date.now();
  #pending: Promise<void> | undefined;
  #ended = false;

  constructor(
    private readonly extendDeadline: () => Promise<void>,
    private readonly ackWaitMs: number,
  ) {}

  extend(reportError: (error: unknown, context: string) => void): void {
    if (this.#ended || this.#pending || Date.now() - this.#lastExtendedAt < this.ackWaitMs / 5) return;
    this.#lastExtendedAt = Date.now();
    this.#pending = this.extendDeadline()
      .catch((error: unknown) => reportError(error, 'extending an ack deadline'))
      .finally(() => (this.#pending = undefined));
  }

  /** No more extensions; resolves once one still in flight has landed. */
  async end(): Promise<void> {
    this.#ended = true;
    await this.#pending;
  }
}
