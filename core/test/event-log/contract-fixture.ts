import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import type {
  ConsumeOptions,
  ConsumerHandle,
  DeliveryHandler,
  EventLog,
  FollowOptions,
  MessageFeed,
  StreamKind,
} from '../../src/event-log/port.js';
import { subjects } from '../../src/event-log/subjects.js';

export type CreateLog = () => Promise<{ log: EventLog; cleanup(): Promise<void> }>;

/** What every contract test works with; one fresh log per test behind it. */
export interface ContractFixture {
  /** The current test's log (a stable object that forwards to it). */
  log: EventLog;
  /** Starts a consumer that teardown stops too, unless the test already did. */
  consume(stream: StreamKind, options: ConsumeOptions, handler: DeliveryHandler): Promise<ConsumerHandle>;
  /** Follows a stream; teardown closes the feed. */
  follow(stream: StreamKind, options: FollowOptions): MessageFeed;
  /** A promise the test opens later; teardown opens it at the latest, so that stop() can drain a hung handler. */
  gate(): { opened: Promise<void>; open(): void };
  /** Appends `count` tasks to `subject`, returning their sequences. */
  appendTasks(subject: string, count: number): Promise<number[]>;
  taskSubject(): string;
}

/** Registers beforeEach/afterEach that give each test a fresh log and leave nothing running. */
export function useContractFixture(createLog: CreateLog): ContractFixture {
  let current: { log: EventLog; cleanup(): Promise<void> } | undefined;
  const running = { consumers: [] as ConsumerHandle[], feeds: [] as MessageFeed[], gates: [] as Array<() => void> };

  beforeEach(async () => {
    const created = await createLog();
    await created.log.initialize();
    current = created;
  });

  // A failed assertion must not leave consumers polling a closed log.
  afterEach(async () => {
    if (!current) return; // createLog failed: beforeEach reported it
    for (const open of running.gates.splice(0)) open();
    await Promise.all(running.consumers.splice(0).map((consumer) => consumer.stop()));
    await Promise.all(running.feeds.splice(0).map((feed) => feed.close()));
    await current.log.close();
    await current.cleanup();
    current = undefined;
  });

  const currentLog = (): EventLog => {
    if (!current) throw new Error('the contract log exists only while a test runs');
    return current.log;
  };
  const log: EventLog = {
    initialize: () => currentLog().initialize(),
    append: (stream, request) => currentLog().append(stream, request),
    readSubject: (stream, subject, afterSequence) => currentLog().readSubject(stream, subject, afterSequence),
    readStream: (stream, afterSequence, limit) => currentLog().readStream(stream, afterSequence, limit),
    follow: (stream, options) => currentLog().follow(stream, options),
    consume: (stream, options, handler) => currentLog().consume(stream, options, handler),
    ping: () => currentLog().ping(),
    close: () => currentLog().close(),
  };

  return {
    log,
    async consume(stream, options, handler) {
      const consumer = await log.consume(stream, options, handler);
      let stopping: Promise<void> | undefined;
      const handle = { stop: () => (stopping ??= consumer.stop()) };
      running.consumers.push(handle);
      return handle;
    },
    follow(stream, options) {
      const feed = log.follow(stream, options);
      running.feeds.push(feed);
      return feed;
    },
    gate() {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      running.gates.push(open);
      return { opened, open };
    },
    async appendTasks(subject, count) {
      const sequences: number[] = [];
      for (let i = 0; i < count; i++) {
        sequences.push((await log.append('tasks', { subject, messageId: unique(), payload: { task: i } })).sequence);
      }
      return sequences;
    },
    taskSubject: () => subjects.convertTask(`plugin${unique()}`),
  };
}

export const unique = (): string => randomUUID().replaceAll('-', '').slice(0, 16);
export const conversionSubject = (): string => subjects.event('conversion', unique());

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  await waitForValue(async () => (condition() ? true : undefined), what, timeoutMs);
}

export async function waitForValue<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
