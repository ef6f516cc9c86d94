import { describe, expect, it } from 'vitest';
import { AppendSignal } from '../../src/event-log/sql/append-signal.js';
import { Doorbell } from '../../src/event-log/sql/doorbell.js';

/** Whether `doorbell` was rung: a wait that ends before its timeout. */
async function wasRung(doorbell: Doorbell): Promise<boolean> {
  const started = performance.now();
  await doorbell.wait(200);
  return performance.now() - started < 150;
}

describe('AppendSignal', () => {
  it('rings a consumer for the subjects its filter matches and not for others, a follower for all', async () => {
    const signal = new AppendSignal();
    const scanner = new Doorbell();
    const converter = new Doorbell();
    const follower = new Doorbell();
    signal.subscribe('tasks', scanner, 'task.scan');
    signal.subscribe('tasks', converter, 'task.convert.>');
    signal.subscribe('tasks', follower);

    signal.notify('tasks', 'task.convert.image');

    expect(await Promise.all([wasRung(scanner), wasRung(converter), wasRung(follower)])).toEqual([false, true, true]);
  });

  it('rings every listener of the stream when the subject is not known, and none of another stream', async () => {
    const signal = new AppendSignal();
    const scanner = new Doorbell();
    const projector = new Doorbell();
    signal.subscribe('tasks', scanner, 'task.scan');
    signal.subscribe('events', projector);

    signal.notify('tasks');

    expect(await Promise.all([wasRung(scanner), wasRung(projector)])).toEqual([true, false]);
  });

  it('stops ringing a listener once it unsubscribes', async () => {
    const signal = new AppendSignal();
    const doorbell = new Doorbell();
    const unsubscribe = signal.subscribe('events', doorbell, 'evt.>');
    unsubscribe();

    signal.notify('events', 'evt.file.f1');

    expect(await wasRung(doorbell)).toBe(false);
  });
});
