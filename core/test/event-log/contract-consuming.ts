import { describe, expect, it } from 'vitest';
import type { ConsumeOptions, Delivery, DeliveryHandler, StoredMessage } from '../../src/event-log/port.js';
import { subjects } from '../../src/event-log/subjects.js';
import { sleep, unique, waitFor, waitForValue, type ContractFixture } from './contract-fixture.js';

/** Durable consumers: resuming, redelivery, ack deadlines, dead letters, shared and separate consumers. */
export function describeConsuming({ log, consume, gate, appendTasks, taskSubject }: ContractFixture): void {
  describe('durable consumers', () => {
    const options = (overrides: Partial<ConsumeOptions> = {}): ConsumeOptions => ({
      consumer: `consumer${unique()}`,
      subjectFilter: subjects.allConvertTasks,
      ackWaitMs: 1_000,
      maxDeliver: 5,
      concurrency: 1,
      ...overrides,
    });

    it('delivers only messages matching the subject filter', async () => {
      const plugin = `plugin${unique()}`;
      const matching = await appendTasks(subjects.convertTask(plugin), 3);
      await log.append('tasks', { subject: `task.scan.${unique()}`, messageId: unique(), payload: 'scan' });
      const handled: Delivery[] = [];

      await consume('tasks', options({ subjectFilter: subjects.convertTask(plugin) }), async (delivery) => {
        handled.push(delivery);
      });
      await waitFor(() => handled.length >= 3, 'matching tasks');
      await sleep(300);

      expect(handled.map((delivery) => delivery.message.sequence)).toEqual(matching);
      expect(handled.map((delivery) => delivery.deliveryCount)).toEqual([1, 1, 1]);
      expect(handled.every((delivery) => delivery.message.stream === 'tasks')).toBe(true);
    });

    it('resumes where it stopped: after stop() and a new consume() nothing is handled twice or lost', async () => {
      const subject = taskSubject();
      const consumerOptions = options({ subjectFilter: subject, concurrency: 2 });
      const firstBatch = await appendTasks(subject, 10);
      const handled: number[] = [];
      const handler: DeliveryHandler = async (delivery) => {
        await sleep(5);
        handled.push(delivery.message.sequence);
      };

      const first = await consume('tasks', consumerOptions, handler);
      await waitFor(() => handled.length >= 4, 'first member progress');
      await first.stop();
      const handledBeforeStop = handled.length;
      await sleep(200);
      expect(handled.length).toBe(handledBeforeStop); // stop() drained: nothing runs after it resolves

      const secondBatch = await appendTasks(subject, 5);
      await consume('tasks', consumerOptions, handler);
      await waitFor(() => handled.length >= 15, 'all tasks after resume', 15_000);
      await sleep(consumerOptions.ackWaitMs + 300); // long enough for any wrongful redelivery to show

      expect([...handled].sort((a, b) => a - b)).toEqual([...firstBatch, ...secondBatch]);
    });

    it('redelivers a message not acked within ackWait, with deliveryCount 2', async () => {
      const subject = taskSubject();
      const [sequence] = await appendTasks(subject, 1);
      const deliveries: Array<{ sequence: number; deliveryCount: number }> = [];
      const firstHandlerRelease = gate();

      await consume('tasks', options({ subjectFilter: subject, ackWaitMs: 500, concurrency: 2 }), async (delivery) => {
        deliveries.push({ sequence: delivery.message.sequence, deliveryCount: delivery.deliveryCount });
        if (delivery.deliveryCount === 1) await firstHandlerRelease.opened; // hangs past ackWait
      });
      await waitFor(() => deliveries.length >= 2, 'redelivery', 10_000);
      firstHandlerRelease.open();
      await sleep(1_000); // the second delivery acked it: no third one

      expect(deliveries).toEqual([
        { sequence, deliveryCount: 1 },
        { sequence, deliveryCount: 2 },
      ]);
    });

    it('does not redeliver a message whose handler keeps calling working()', async () => {
      const subject = taskSubject();
      await appendTasks(subject, 1);
      const deliveryCounts: number[] = [];
      let finished = false;

      await consume('tasks', options({ subjectFilter: subject, ackWaitMs: 400, concurrency: 2 }), async (delivery) => {
        deliveryCounts.push(delivery.deliveryCount);
        for (let elapsed = 0; elapsed < 1_600; elapsed += 100) {
          await sleep(100);
          delivery.working();
        }
        finished = true;
      });
      await waitFor(() => finished, 'long handler', 10_000);
      await sleep(800);

      expect(deliveryCounts).toEqual([1]);
    });

    it('redelivers after a handler throws, then dead-letters after maxDeliver deliveries', async () => {
      const subject = taskSubject();
      const [sequence] = await appendTasks(subject, 1);
      const consumerOptions = options({ subjectFilter: subject, ackWaitMs: 500, maxDeliver: 3 });
      const deliveryCounts: number[] = [];

      await consume('tasks', consumerOptions, async (delivery) => {
        deliveryCounts.push(delivery.deliveryCount);
        throw new Error('poison');
      });
      const deadLetters = await waitForValue(async () => {
        const events = await log.readSubject('events', subjects.event('system', 'dead-letter'));
        const found = events.filter((message) => deadLetterData(message)?.sequence === sequence);
        return found.length > 0 ? found : undefined;
      }, 'dead-letter event', 15_000);
      await sleep(consumerOptions.ackWaitMs * 2); // a wrongful fourth delivery would show by now

      expect(deliveryCounts).toEqual([1, 2, 3]);
      expect(deadLetters).toHaveLength(1);
      expect(deadLetters[0]!.payload).toMatchObject({
        type: 'MessageDeadLettered',
        version: 1,
        aggregate: 'system',
        data: { stream: 'tasks', consumer: consumerOptions.consumer, subject, sequence, deliveries: 3 },
      });
      expect(Date.parse(deadLetterData(deadLetters[0]!)!.dead_lettered_at)).not.toBeNaN();
    });

    it('dead-letters a message that is never acked once maxDeliver deliveries have timed out', async () => {
      const subject = taskSubject();
      const [sequence] = await appendTasks(subject, 1);
      const consumerOptions = options({ subjectFilter: subject, ackWaitMs: 300, maxDeliver: 2, concurrency: 3 });
      const deliveryCounts: number[] = [];
      const hang = gate();

      await consume('tasks', consumerOptions, async (delivery) => {
        deliveryCounts.push(delivery.deliveryCount);
        await hang.opened; // never acks while the test runs
      });
      const deadLetter = await waitForValue(async () => {
        const events = await log.readSubject('events', subjects.event('system', 'dead-letter'));
        return events.find((message) => deadLetterData(message)?.sequence === sequence);
      }, 'dead-letter event', 15_000);
      await sleep(consumerOptions.ackWaitMs * 2);

      expect(deliveryCounts).toEqual([1, 2]);
      expect(deadLetter.payload).toMatchObject({ data: { subject, sequence, deliveries: 2, consumer: consumerOptions.consumer } });
    });

    it('stop() waits for in-flight handlers, and what they finished stays acked', async () => {
      const subject = taskSubject();
      await appendTasks(subject, 1);
      const consumerOptions = options({ subjectFilter: subject, ackWaitMs: 500 });
      let started = false;
      let finished = false;

      const first = await consume('tasks', consumerOptions, async () => {
        started = true;
        await sleep(300);
        finished = true;
      });
      await waitFor(() => started, 'handler start');
      await first.stop();
      expect(finished).toBe(true);

      const redelivered: number[] = [];
      await consume('tasks', consumerOptions, async (delivery) => {
        redelivered.push(delivery.message.sequence);
      });
      await sleep(consumerOptions.ackWaitMs + 500);
      expect(redelivered).toEqual([]);
    });

    it('shares a task stream between members of one consumer: each task handled by exactly one', async () => {
      const subject = taskSubject();
      const consumerOptions = options({ subjectFilter: subject, concurrency: 2 });
      const handledBy = { a: [] as number[], b: [] as number[] };
      const member = (name: keyof typeof handledBy): DeliveryHandler => async (delivery) => {
        await sleep(15); // long enough that one member cannot drain the stream alone
        handledBy[name].push(delivery.message.sequence);
      };

      await consume('tasks', consumerOptions, member('a'));
      await consume('tasks', consumerOptions, member('b'));
      const tasks = await appendTasks(subject, 40);
      await waitFor(() => handledBy.a.length + handledBy.b.length >= 40, 'all tasks', 15_000);
      await sleep(consumerOptions.ackWaitMs + 300);

      expect(handledBy.a.length).toBeGreaterThan(0);
      expect(handledBy.b.length).toBeGreaterThan(0);
      expect([...handledBy.a, ...handledBy.b].sort((x, y) => x - y)).toEqual(tasks);
    });

    it('keeps separate consumers independent: each sees every message', async () => {
      const subject = taskSubject();
      const tasks = await appendTasks(subject, 5);
      const seen = { first: [] as number[], second: [] as number[] };

      await consume('tasks', options({ subjectFilter: subject }), async (delivery) => {
        seen.first.push(delivery.message.sequence);
      });
      await consume('tasks', options({ subjectFilter: subject }), async (delivery) => {
        seen.second.push(delivery.message.sequence);
      });
      await waitFor(() => seen.first.length >= 5 && seen.second.length >= 5, 'both consumers');

      expect(seen.first).toEqual(tasks);
      expect(seen.second).toEqual(tasks);
    });
  });
}

interface DeadLetterData {
  sequence: number;
  dead_lettered_at: string;
}

function deadLetterData(message: StoredMessage): DeadLetterData | undefined {
  const payload = message.payload as { type?: string; data?: DeadLetterData } | null;
  return payload?.type === 'MessageDeadLettered' ? payload.data : undefined;
}
