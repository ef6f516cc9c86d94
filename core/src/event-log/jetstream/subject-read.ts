import type { MsgRequest } from '@nats-io/jetstream';
import type { JetStreamConnection } from './connection.js';
import { readRange } from './range-read.js';
import type { JetStreamMessage } from './stored-message.js';

/**
 * Message gets tried before a batch pull. Most subjects read are short — a new aggregate has no
 * events, a file one or two — and a get answers each in one round trip (about 0.4 ms locally),
 * while creating, pulling and deleting a consumer costs about 3 ms whatever the length. Past a
 * handful of messages the pull is cheaper, so the rest of a long subject comes in one pull.
 */
const probeGets = 4;

/**
 * Every message on one exact subject after `afterSequence`, in order. The gets go to the stream
 * leader (STREAM.MSG.GET, not a direct get that any replica may answer), so a read always sees
 * the appends acknowledged before it.
 */
export async function readSubjectMessages(
  connection: JetStreamConnection,
  streamName: string,
  physicalSubject: string,
  afterSequence: number,
): Promise<JetStreamMessage[]> {
  const found: JetStreamMessage[] = [];
  let lastSequence = afterSequence;
  for (let probe = 0; probe < probeGets; probe++) {
    const message = await connection.manager.streams.getMessage(streamName, nextOnSubject(lastSequence + 1, physicalSubject));
    if (!message) return found;
    found.push(message);
    lastSequence = message.seq;
  }
  const rest = await readRange(connection, { streamName, afterSequence: lastSequence, filterSubject: physicalSubject });
  return [...found, ...rest];
}

/**
 * The first message on `subject` at or after `sequence`. NATS 2.9 accepts `next_by_subj` on
 * STREAM.MSG.GET; the client types it for direct gets only, hence the untyped extra field.
 */
function nextOnSubject(sequence: number, subject: string): MsgRequest {
  const request = { seq: sequence, next_by_subj: subject };
  return request;
}
