import { describe, expect, it } from 'vitest';
import type { MessageFeed, StoredMessage } from '../../src/event-log/port.js';
import { subjects } from '../../src/event-log/subjects.js';
import { conversionSubject, sleep, unique, waitFor, withTimeout, type ContractFixture } from './contract-fixture.js';

/** Reading back: one subject, a stream page by page, and following a stream live. */
export function describeReading({ log, follow }: ContractFixture): void {
  describe('reading', () => {
    it('reads one aggregate subject in order, skipping other subjects, from a position', async () => {
      const subject = conversionSubject();
      const other = conversionSubject();
      const mine: number[] = [];
      for (let i = 0; i < 4; i++) {
        mine.push((await log.append('events', { subject, messageId: unique(), payload: { i } })).sequence);
        await log.append('events', { subject: other, messageId: unique(), payload: { other: i } });
      }

      const all = await log.readSubject('events', subject);
      const afterSecond = await log.readSubject('events', subject, mine[1]);

      expect(all.map((message) => message.sequence)).toEqual(mine);
      expect(all.map((message) => message.payload)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }]);
      expect(afterSecond.map((message) => message.sequence)).toEqual(mine.slice(2));
      expect(await log.readSubject('events', conversionSubject())).toEqual([]);
    });

    it('keeps streams apart', async () => {
      const commandSubject = subjects.command('conversion', unique());
      const eventSubject = conversionSubject();
      const command = await log.append('commands', { subject: commandSubject, messageId: unique(), payload: 'command' });
      await log.append('events', { subject: eventSubject, messageId: unique(), payload: 'event' });

      const commands = await log.readStream('commands', command.sequence - 1, 100);

      expect(commands.map((message) => [message.stream, message.subject])).toEqual([['commands', commandSubject]]);
      expect((await log.readSubject('commands', commandSubject)).map((message) => message.payload)).toEqual(['command']);
    });

    it('pages through a stream in order', async () => {
      const subject = conversionSubject();
      const appended: number[] = [];
      for (let i = 0; i < 7; i++) appended.push((await log.append('events', { subject, messageId: unique(), payload: i })).sequence);

      const pages: StoredMessage[][] = [];
      let position = appended[0]! - 1;
      for (;;) {
        const page = await log.readStream('events', position, 3);
        if (page.length === 0) break;
        pages.push(page);
        position = page[page.length - 1]!.sequence;
      }

      expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      expect(pages.flat().map((message) => message.sequence)).toEqual(appended);
      expect(pages.flat().map((message) => message.payload)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });
  });

  describe('follow', () => {
    it('delivers existing messages, then live ones, in order', async () => {
      const subject = conversionSubject();
      const existing: number[] = [];
      for (let i = 0; i < 3; i++) existing.push((await log.append('events', { subject, messageId: unique(), payload: i })).sequence);

      const feed = follow('events', { afterSequence: existing[0]! - 1, maxBatch: 2 });
      const received: StoredMessage[] = [];
      const batchSizes: number[] = [];
      const iterating = (async () => {
        for await (const batch of feed) {
          batchSizes.push(batch.length);
          received.push(...batch);
          if (received.length >= 6) break;
        }
      })();

      await waitFor(() => received.length >= 3, 'existing messages');
      const live: number[] = [];
      for (let i = 3; i < 6; i++) live.push((await log.append('events', { subject, messageId: unique(), payload: i })).sequence);
      await iterating;

      expect(received.map((message) => message.sequence)).toEqual([...existing, ...live]);
      expect(received.map((message) => message.payload)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(Math.max(...batchSizes)).toBeLessThanOrEqual(2);
    });

    it('starts after the given sequence', async () => {
      const subject = conversionSubject();
      const sequences: number[] = [];
      for (let i = 0; i < 3; i++) sequences.push((await log.append('events', { subject, messageId: unique(), payload: i })).sequence);

      const feed = follow('events', { afterSequence: sequences[1]! });
      const [firstBatch] = await takeBatches(feed, 1);

      expect(firstBatch!.map((message) => message.sequence)).toEqual([sequences[2]]);
    });

    it('lets a follower break out while messages are still buffered, and close the feed from inside its loop', async () => {
      const subject = conversionSubject();
      for (let i = 0; i < 40; i++) await log.append('events', { subject, messageId: unique(), payload: i });

      const broken = log.follow('events', { afterSequence: 0, maxBatch: 5 });
      const breaking = (async () => {
        for await (const batch of broken) return batch.length;
        return 0;
      })();
      expect(await withTimeout(breaking, 5_000, 'breaking out of a feed with buffered messages hung')).toBeGreaterThan(0);
      await withTimeout(broken.close(), 5_000, 'close() after a break hung');

      const closedInside = log.follow('events', { afterSequence: 0, maxBatch: 5 });
      let batches = 0;
      const closing = (async () => {
        for await (const batch of closedInside) {
          void batch;
          batches++;
          await closedInside.close();
        }
      })();
      await withTimeout(closing, 5_000, 'closing a feed from inside its loop hung');
      expect(batches).toBe(1);
    });

    it('ends iteration when closed', async () => {
      const feed = log.follow('events', { afterSequence: 0 });
      let ended = false;
      const iterating = (async () => {
        for await (const batch of feed) void batch;
        ended = true;
      })();

      await sleep(100);
      await feed.close();
      await withTimeout(iterating, 5_000, 'feed iteration did not end after close()');

      expect(ended).toBe(true);
    });
  });
}

async function takeBatches(feed: MessageFeed, count: number): Promise<StoredMessage[][]> {
  const batches: StoredMessage[][] = [];
  const taking = (async () => {
    for await (const batch of feed) {
      batches.push(batch);
      if (batches.length >= count) break;
    }
  })();
  await withTimeout(taking, 5_000, `expected ${count} batch(es) from the feed`);
  return batches;
}
