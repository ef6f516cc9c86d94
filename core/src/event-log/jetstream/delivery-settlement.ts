import type { JsMsg } from '@nats-io/jetstream';
import type { Clock } from '../../system/clock.js';
import type { IdGenerator } from '../../system/ids.js';
import { deadLetterAppend } from '../dead-letter.js';
import type { AppendRequest, AppendResult, ConsumeOptions, DeliveryHandler, StreamKind } from '../port.js';
import type { Namespace } from './namespace.js';
import { toStoredMessage } from './stored-message.js';

export interface SettlementContext {
  namespace: Namespace;
  stream: StreamKind;
  options: ConsumeOptions;
  handler: DeliveryHandler;
  appendEvent: (request: AppendRequest) => Promise<AppendResult>;
  clock: Clock;
  ids: IdGenerator;
  /** How long a failed delivery waits before it is redelivered, by delivery count (1, 2, …). */
  retryDelayMs: (deliveryCount: number) => number;
  reportError: (error: unknown, context: string) => void;
}

/** Attempts at storing a dead-letter event before the message is left to the server. */
const deadLetterAttempts = 3;

/**
 * Runs one delivery to its end: the handler resolves → ack; it throws → nak with a delay, so a
 * failing message does not spin; the server has delivered it more than `maxDeliver` times →
 * the handler never sees it, a `MessageDeadLettered` event is stored and the message terminated.
 * Never rejects.
 */
export async function settleDelivery(message: JsMsg, context: SettlementContext): Promise<void> {
  const deliveryCount = message.info.deliveryCount;
  if (deliveryCount > context.options.maxDeliver) {
    await deadLetter(message, context);
    return;
  }
  try {
    // Decoding is inside the try: a payload that is not JSON fails like a handler, and is
    // dead-lettered in the end instead of failing the consumer.
    await context.handler({
      message: toStoredMessage(context.namespace, context.stream, message),
      deliveryCount,
      working: () => message.working(),
    });
    message.ack();
  } catch {
    // The handler's failure is its own to report; here it only means "try again later".
    message.nak(context.retryDelayMs(deliveryCount));
  }
}

/**
 * This is the last delivery the server makes (max_deliver = maxDeliver + 1), so the event is
 * retried here rather than by a nak; its de-duplication id makes the retries safe.
 */
async function deadLetter(message: JsMsg, context: SettlementContext): Promise<void> {
  for (let attempt = 1; attempt <= deadLetterAttempts; attempt++) {
    try {
      await context.appendEvent(
        deadLetterAppend({
          eventId: context.ids.next(),
          stream: context.stream,
          consumer: context.options.consumer,
          subject: context.namespace.logicalSubject(message.subject),
          sequence: message.seq,
          deliveries: message.info.deliveryCount - 1,
          deadLetteredAt: context.clock.now(),
        }),
      );
      message.term(); // no reason text: NATS 2.9 only understands a bare +TERM
      return;
    } catch (error) {
      context.reportError(error, `dead-lettering ${context.stream} #${message.seq} (attempt ${attempt})`);
      message.working(); // keep the lease while retrying
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
  // Out of attempts: the server stops delivering it and emits a MAX_DELIVERIES advisory.
  message.nak();
}

/** 100 ms, 200 ms, 400 ms, … up to 5 s: quick retries for transient failures, no hot loop. */
export function exponentialRetryDelay(deliveryCount: number): number {
  return Math.min(100 * 2 ** (deliveryCount - 1), 5_000);
}
