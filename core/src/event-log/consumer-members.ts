import type { ConsumeOptions, ConsumerHandle } from './port.js';

/** Refuses consume options no adapter can honour, naming the consumer. */
export function assertConsumeOptions(options: ConsumeOptions): void {
  if (options.concurrency < 1 || options.maxDeliver < 1 || options.ackWaitMs <= 0) {
    throw new Error(`invalid consume options for ${options.consumer}: concurrency and maxDeliver must be ≥ 1, ackWaitMs > 0`);
  }
}

/**
 * Starts a consumer member and keeps it in `members` until it is stopped, so that the log's
 * close() can stop whatever its callers left running.
 */
export function startMember<Member extends { start(): void; stop(): Promise<void> }>(members: Set<Member>, member: Member): ConsumerHandle {
  members.add(member);
  member.start();
  return {
    stop: async () => {
      await member.stop();
      members.delete(member);
    },
  };
}
