import type { MsgHdrs } from '@nats-io/transport-node';
import type { StoredMessage, StreamKind } from '../port.js';
import type { Namespace } from './namespace.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Payloads travel as UTF-8 JSON, the same bytes the SQL log stores as jsonb. */
export function encodePayload(payload: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(payload) ?? 'null');
}

function decodePayload(data: Uint8Array): unknown {
  return data.length === 0 ? null : JSON.parse(decoder.decode(data));
}

/** What a consumer delivery (JsMsg) and a message get (StoredMsg) have in common. */
export interface JetStreamMessage {
  seq: number;
  /** Physical subject. */
  subject: string;
  data: Uint8Array;
  time: Date;
  /** A delivery's headers; message gets leave them out, since their callers read subjects in order. */
  headers?: MsgHdrs | undefined;
}

/** The header an append with an expected last subject sequence carries; the server stores it with the message. */
const expectedLastSubjectSequenceHeader = 'Nats-Expected-Last-Subject-Sequence';

/**
 * The subject's previous sequence, as the append that stored the message expected it. The server
 * refuses an append whose expectation is wrong, so a stored message's expectation is a fact.
 */
function previousSubjectSequence(headers: MsgHdrs | undefined): number | undefined {
  const value = headers?.get(expectedLastSubjectSequenceHeader);
  if (!value) return undefined;
  const sequence = Number(value);
  return Number.isSafeInteger(sequence) && sequence >= 0 ? sequence : undefined;
}

/** A message as callers see it: logical subject, decoded payload, stream sequence. */
export function toStoredMessage(namespace: Namespace, stream: StreamKind, message: JetStreamMessage): StoredMessage {
  const stored: StoredMessage = {
    stream,
    sequence: message.seq,
    subject: namespace.logicalSubject(message.subject),
    payload: decodePayload(message.data),
    storedAt: message.time.toISOString(),
  };
  const previous = previousSubjectSequence(message.headers);
  if (previous !== undefined) stored.previousSubjectSequence = previous;
  return stored;
}
