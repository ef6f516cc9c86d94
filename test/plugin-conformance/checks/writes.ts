import { expect } from 'vitest';
import type { FolderSnapshot, JobFolder } from '../job-folder.js';

/**
 * Holds the plugin to its folder: after a successful conversion the folder holds what it
 * held before plus `outputPath`, and the input is byte for byte what it was.
 */
export function expectOnlyOutputWritten(before: FolderSnapshot, after: FolderSnapshot, folder: JobFolder, conversion: string): void {
  const output = folder.outputRelativePath;
  const stray = after.paths.filter((path) => path !== output && !before.paths.includes(path));
  expect(stray, `${conversion}: the plugin wrote outside outputPath (or left temporary files)`).toEqual([]);
  expect(after.paths, `${conversion}: the plugin wrote no output at outputPath`).toContain(output);
  expectInputUntouched(before, after, conversion);
}

/** After a failed or cancelled conversion: nothing new at all, no output either, and the input as it was. */
export function expectNothingWritten(before: FolderSnapshot, after: FolderSnapshot, conversion: string): void {
  const stray = after.paths.filter((path) => !before.paths.includes(path));
  expect(stray, `${conversion}: the plugin failed but left files behind (a failed conversion leaves no output)`).toEqual([]);
  expectInputUntouched(before, after, conversion);
}

function expectInputUntouched(before: FolderSnapshot, after: FolderSnapshot, conversion: string): void {
  const missing = before.paths.filter((path) => !after.paths.includes(path));
  expect(missing, `${conversion}: the plugin removed files it was given`).toEqual([]);
  expect(after.inputSha256, `${conversion}: the plugin changed its input file`).toBe(before.inputSha256);
}
