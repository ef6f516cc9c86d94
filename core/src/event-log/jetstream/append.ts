import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamPublishOptions } from '@nats-io/jetstream';
import { ConcurrencyConflictError, type AppendRequest, type AppendResult, type StreamKind } from '../port.js';
import type { Namespace } from './namespace.js';
import { encodePayload } from './stored-message.js';

/**
 * Publishes one message and waits for its PubAck. Appends are independent requests over the
 * one connection, so concurrent callers pipeline instead of waiting for each other's round trip.
 *
 * De-duplication is JetStream's own (`Nats-Msg-Id` within the stream's duplicate window), and it
 * is checked before the expected sequence: retrying an append that already landed answers
 * `duplicate: true` with the original sequence, not a conflict.
 */
export async function appendMessage(
  client: JetStreamClient,
  namespace: Namespace,
  stream: StreamKind,
  request: AppendRequest,
): Promise<AppendResult> {
  namespace.assertBelongsTo(stream, request.subject);
  const options: Partial<JetStreamPublishOptions> = { msgID: request.messageId };
  if (request.expectedLastSubjectSequence !== undefined) {
    options.expect = { lastSubjectSequence: request.expectedLastSubjectSequence };
  }
  try {
    const ack = await client.publish(namespace.physicalSubject(request.subject), encodePayload(request.payload), options);
    return { sequence: ack.seq, duplicate: ack.duplicate };
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence) {
      throw new ConcurrencyConflictError(request.subject, request.expectedLastSubjectSequence ?? 0);
    }
    throw error;
  }
}
