import { describe, expect, it } from 'vitest';
import { throughputOf } from '../../src/upload/upload-throughput.js';

describe('upload throughput', () => {
  const start = new Date('2026-01-01T00:00:00.000Z');

  it('is bytes per second of the time the bytes took', () => {
    expect(throughputOf(3_000_000, start, new Date('2026-01-01T00:00:02.000Z'))).toBe(1_500_000);
    expect(throughputOf(100, start, new Date('2026-01-01T00:00:00.250Z'))).toBe(400);
  });

  it('is not made up when no time passed by the clock or no bytes came', () => {
    expect(throughputOf(1000, start, start)).toBeUndefined();
    expect(throughputOf(0, start, new Date('2026-01-01T00:00:01.000Z'))).toBeUndefined();
  });
});
