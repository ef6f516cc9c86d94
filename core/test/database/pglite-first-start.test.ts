import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initialisePGliteDataDir } from '../../src/database/pglite-first-start.js';
import { openPGliteThread } from '../../src/database/pglite-thread.js';

describe('PGlite first start', () => {
  const dirs: string[] = [];
  const freshDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conveyor-pglite-first-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('initialises an empty data directory, which then opens as a working database', async () => {
    const dir = await freshDir();
    await expect(access(join(dir, 'PG_VERSION'))).rejects.toThrow();
    await initialisePGliteDataDir(dir);
    await access(join(dir, 'PG_VERSION'));
    const engine = await openPGliteThread(dir);
    try {
      const { rows } = await engine.query<{ answer: number }>('select 41 + 1 as answer', []);
      expect(rows).toEqual([{ answer: 42 }]);
    } finally {
      await engine.close();
    }
  });

  it('leaves a data directory that holds a database as it is', async () => {
    const dir = await freshDir();
    const first = await openPGliteThread(dir);
    await first.query('create table kept (value text)', []);
    await first.query("insert into kept values ('still here')", []);
    await first.close();

    await initialisePGliteDataDir(dir);
    const again = await openPGliteThread(dir);
    try {
      const { rows } = await again.query<{ value: string }>('select value from kept', []);
      expect(rows).toEqual([{ value: 'still here' }]);
    } finally {
      await again.close();
    }
  });
});
