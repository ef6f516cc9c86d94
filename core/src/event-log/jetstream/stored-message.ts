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
}

/** A message as callers see it: logical subject, decoded payload, stream sequence. */
export function toStoredMessage(namespace: Namespace, stream: StreamKind, message: JetStreamMessage): StoredMessage {
  return {
    stream,
    sequence: message.seq,
    subject: namespace.logicalSubject(message.subject),
    payload: decodePayload(message.data),
    storedAt: message.time.toISOString(),
  };
}
