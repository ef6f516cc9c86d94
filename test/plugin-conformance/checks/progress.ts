import { expect } from 'vitest';

/** Progress as the plugin reported it: numbers within 0–100 that never go backwards. */
export function expectWellFormedProgress(progress: readonly number[], conversion: string): void {
  const outOfRange = progress.filter((percent) => typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100);
  expect(outOfRange, `${conversion}: progress values outside 0–100`).toEqual([]);
  const backwards = progress.some((percent, index) => index > 0 && percent < progress[index - 1]!);
  expect(backwards, `${conversion}: progress went backwards: ${progress.join(', ')}`).toBe(false);
}
