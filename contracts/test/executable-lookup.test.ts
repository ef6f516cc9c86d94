import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locateExecutable } from '../src/executable-lookup.js';

describe('locateExecutable', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'conveyor-lookup-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** A folder holding `name` as a file with `mode`. */
  async function folderWith(folder: string, name: string, mode: number): Promise<string> {
    await mkdir(join(root, folder));
    await writeFile(join(root, folder, name), '#!/bin/sh\n');
    await chmod(join(root, folder, name), mode);
    return join(root, folder);
  }

  it('finds the first executable file of that name on the search path, skipping one that is not executable', async () => {
    const notExecutable = await folderWith('a', 'tool', 0o644);
    const executable = await folderWith('b', 'tool', 0o755);
    const later = await folderWith('c', 'tool', 0o755);
    expect(locateExecutable('tool', [notExecutable, executable, later].join(delimiter))).toBe(join(executable, 'tool'));
  });

  it('skips a folder that carries the name', async () => {
    await mkdir(join(root, 'a', 'tool'), { recursive: true });
    const executable = await folderWith('b', 'tool', 0o755);
    expect(locateExecutable('tool', [join(root, 'a'), executable].join(delimiter))).toBe(join(executable, 'tool'));
  });

  it('takes a command that names a path as it is, if it is executable', async () => {
    const folder = await folderWith('a', 'tool', 0o755);
    expect(locateExecutable(join(folder, 'tool'), '')).toBe(join(folder, 'tool'));
    expect(locateExecutable(join(folder, 'missing'), folder)).toBeUndefined();
  });

  it('answers undefined when no folder has it', async () => {
    expect(locateExecutable('conveyor-no-such-tool', [root, '/usr/bin'].join(delimiter))).toBeUndefined();
  });
});
