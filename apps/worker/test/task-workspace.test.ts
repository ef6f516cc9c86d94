import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeWorkFolder } from '../src/task-workspace.js';

describe('removeWorkFolder', () => {
  let workDir: string;
  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'conveyor-workspace-'));
  });
  afterEach(() => rm(workDir, { recursive: true, force: true }));

  const stepFolder = async (names: string[]) => {
    const folder = await mkdtemp(join(workDir, 'step-'));
    for (const name of names) await writeFile(join(folder, name), name);
    return folder;
  };

  it('removes a folder holding the files it was told of, and one of them missing', async () => {
    const folder = await stepFolder(['input.png']);
    await removeWorkFolder(folder, [join(folder, 'input.png'), join(folder, 'output.webp')]);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('removes what a plugin left there besides, files and folders alike', async () => {
    const folder = await stepFolder(['input.png', 'output.webp', 'scratch.tmp']);
    await mkdir(join(folder, 'frames', 'deeper'), { recursive: true });
    await writeFile(join(folder, 'frames', 'deeper', 'frame-1.png'), 'frame');
    await removeWorkFolder(folder, [join(folder, 'input.png'), join(folder, 'output.webp')]);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('removes a folder where a file it was told of turned out to be a folder', async () => {
    const folder = await stepFolder(['input.png']);
    await mkdir(join(folder, 'output.webp'));
    await writeFile(join(folder, 'output.webp', 'inside'), 'x');
    await removeWorkFolder(folder, [join(folder, 'input.png'), join(folder, 'output.webp')]);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('is done when the folder is already gone', async () => {
    await expect(removeWorkFolder(join(workDir, 'never-made'), [join(workDir, 'never-made', 'input.png')])).resolves.toBeUndefined();
  });
});
