import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('event log configuration', () => {
  it('uses the SQL log without NATS_URL', () => {
    expect(loadConfig({ NATS_URL: '' }).eventLog).toEqual({ kind: 'sql' });
  });

  it('keeps one copy of each stream unless told otherwise', () => {
    expect(loadConfig({ NATS_URL: 'nats://nats:4222' }).eventLog).toEqual({
      kind: 'jetstream',
      url: 'nats://nats:4222',
      namespace: 'conveyor',
      streamReplicas: 1,
    });
  });

  it('reads NATS_STREAM_REPLICAS for a NATS cluster', () => {
    expect(loadConfig({ NATS_URL: 'nats://nats:4222', NATS_STREAM_REPLICAS: '3' }).eventLog).toMatchObject({ streamReplicas: 3 });
  });

  it.each(['0', '6', '2.5', 'three'])('refuses NATS_STREAM_REPLICAS=%s', (replicas) => {
    expect(() => loadConfig({ NATS_URL: 'nats://nats:4222', NATS_STREAM_REPLICAS: replicas })).toThrow(/invalid configuration: NATS_STREAM_REPLICAS/);
  });
});
