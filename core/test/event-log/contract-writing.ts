import { describe, expect, it } from 'vitest';
import { ConcurrencyConflictError } from '../../src/event-log/port.js';
import { conversionSubject, unique, type ContractFixture } from './contract-fixture.js';

/** Appending: de-duplication and optimistic concurrency. */
export function describeWriting({ log }: ContractFixture): void {
  describe('append', () => {
    it('stores a message once per de-duplication id and answers a repeat with the original sequence', async () => {
      const subject = conversionSubject();
      const messageId = unique();

      const first = await log.append('events', { subject, messageId, payload: { attempt: 1 } });
      const repeat = await log.append('events', { subject, messageId, payload: { attempt: 2 } });

      expect(first).toEqual({ sequence: expect.any(Number), duplicate: false });
      expect(first.sequence).toBeGreaterThan(0);
      expect(repeat).toEqual({ sequence: first.sequence, duplicate: true });
      const stored = await log.readSubject('events', subject);
      expect(stored.map((message) => message.payload)).toEqual([{ attempt: 1 }]);
    });

    it('gives increasing sequences and keeps subject, payload and storage time', async () => {
      const subject = conversionSubject();
      const before = Date.now();

      const first = await log.append('events', { subject, messageId: unique(), payload: { n: 1, nested: { ok: true } } });
      const second = await log.append('events', { subject, messageId: unique(), payload: { n: 2 } });

      expect(second.sequence).toBeGreaterThan(first.sequence);
      const [stored] = await log.readSubject('events', subject);
      expect(stored).toMatchObject({ stream: 'events', sequence: first.sequence, subject, payload: { n: 1, nested: { ok: true } } });
      expect(Date.parse(stored!.storedAt)).toBeGreaterThanOrEqual(before - 5_000);
      expect(Date.parse(stored!.storedAt)).toBeLessThanOrEqual(Date.now() + 5_000);
    });

    it('retrying an append that already succeeded is a duplicate, not a concurrency conflict', async () => {
      const subject = conversionSubject();
      const messageId = unique();
      const first = await log.append('events', { subject, messageId, payload: {}, expectedLastSubjectSequence: 0 });

      const retry = await log.append('events', { subject, messageId, payload: {}, expectedLastSubjectSequence: 0 });

      expect(retry).toEqual({ sequence: first.sequence, duplicate: true });
    });
  });

  describe('optimistic concurrency', () => {
    it('accepts an append whose expected last subject sequence is current', async () => {
      const subject = conversionSubject();

      const first = await log.append('events', { subject, messageId: unique(), payload: 1, expectedLastSubjectSequence: 0 });
      const second = await log.append('events', {
        subject,
        messageId: unique(),
        payload: 2,
        expectedLastSubjectSequence: first.sequence,
      });

      expect(second.duplicate).toBe(false);
      expect((await log.readSubject('events', subject)).map((message) => message.payload)).toEqual([1, 2]);
    });

    it('refuses an append with a stale expected sequence', async () => {
      const subject = conversionSubject();
      const first = await log.append('events', { subject, messageId: unique(), payload: 1 });
      await log.append('events', { subject, messageId: unique(), payload: 2, expectedLastSubjectSequence: first.sequence });

      const stale = log.append('events', { subject, messageId: unique(), payload: 3, expectedLastSubjectSequence: first.sequence });

      await expect(stale).rejects.toBeInstanceOf(ConcurrencyConflictError);
      expect((await log.readSubject('events', subject)).map((message) => message.payload)).toEqual([1, 2]);
    });

    it('refuses 0 (expects empty) on a subject that has messages', async () => {
      const subject = conversionSubject();
      await log.append('events', { subject, messageId: unique(), payload: 1 });

      const expectingEmpty = log.append('events', { subject, messageId: unique(), payload: 2, expectedLastSubjectSequence: 0 });

      await expect(expectingEmpty).rejects.toBeInstanceOf(ConcurrencyConflictError);
    });

    it('checks only the given subject: appends to other subjects do not conflict', async () => {
      const subject = conversionSubject();
      const first = await log.append('events', { subject, messageId: unique(), payload: 1, expectedLastSubjectSequence: 0 });
      await log.append('events', { subject: conversionSubject(), messageId: unique(), payload: 'elsewhere' });

      const next = await log.append('events', {
        subject,
        messageId: unique(),
        payload: 2,
        expectedLastSubjectSequence: first.sequence,
      });

      expect(next.duplicate).toBe(false);
    });

    it('lets exactly one of several concurrent writers with the same expectation win', async () => {
      const subject = conversionSubject();
      const first = await log.append('events', { subject, messageId: unique(), payload: 0 });

      const outcomes = await Promise.allSettled(
        [1, 2, 3, 4, 5].map((writer) =>
          log.append('events', { subject, messageId: unique(), payload: writer, expectedLastSubjectSequence: first.sequence }),
        ),
      );

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
        expect(outcome.reason).toBeInstanceOf(ConcurrencyConflictError);
      }
      expect(await log.readSubject('events', subject)).toHaveLength(2);
    });

    it('answers each of many appends made at the same moment on its own', async () => {
      const subject = conversionSubject();
      const other = conversionSubject();
      const first = await log.append('events', { subject, messageId: unique(), payload: 'first' });
      const repeatedId = unique();

      const [fresh, original, repeat, stale, ...rest] = await Promise.allSettled([
        log.append('events', { subject: other, messageId: unique(), payload: 'fresh', expectedLastSubjectSequence: 0 }),
        log.append('events', { subject, messageId: repeatedId, payload: 'original' }),
        log.append('events', { subject, messageId: repeatedId, payload: 'repeat' }),
        log.append('events', { subject, messageId: unique(), payload: 'stale', expectedLastSubjectSequence: first.sequence - 1 }),
        ...[1, 2, 3, 4].map((n) => log.append('events', { subject: other, messageId: unique(), payload: n })),
      ]);

      expect(fresh).toMatchObject({ status: 'fulfilled', value: { duplicate: false } });
      expect(original).toMatchObject({ status: 'fulfilled', value: { duplicate: false } });
      const originalSequence = (original as PromiseFulfilledResult<{ sequence: number }>).value.sequence;
      expect(repeat).toEqual({ status: 'fulfilled', value: { sequence: originalSequence, duplicate: true } });
      expect(stale.status).toBe('rejected');
      expect((stale as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyConflictError);
      const sequences = [fresh, original, ...rest].map((outcome) => (outcome as PromiseFulfilledResult<{ sequence: number }>).value.sequence);
      expect(new Set(sequences).size).toBe(sequences.length);
      expect((await log.readSubject('events', subject)).map((message) => message.payload)).toEqual(['first', 'original']);
      expect((await log.readSubject('events', other)).map((message) => message.payload).sort()).toEqual([1, 2, 3, 4, 'fresh'].sort());
    });
  });
}
