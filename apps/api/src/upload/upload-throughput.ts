/**
 * How fast an upload came in, in bytes per second; undefined when it cannot be told (no bytes,
 * or no time passed by the clock), so that no made-up figure is recorded.
 *
 * @example throughputOf(2_000_000, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:02Z')) // 1_000_000
 */
export function throughputOf(bytes: number, startedAt: Date, finishedAt: Date): number | undefined {
  const elapsedMs = finishedAt.getTime() - startedAt.getTime();
  if (bytes <= 0 || elapsedMs <= 0) return undefined;
  return (bytes * 1000) / elapsedMs;
}
