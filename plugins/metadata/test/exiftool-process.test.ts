import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive, killHostOfHelper } from '../../../test/support/orphan-check.js';

const built = fileURLToPath(new URL('../dist/exiftool-process.js', import.meta.url));

describe('the exiftool process', () => {
  it('dies with the process that started it, even when that one is killed outright', async () => {
    const { helper, aliveBefore } = await killHostOfHelper(`const { spawnExiftool } = await import(${JSON.stringify(built)});
      console.log((await spawnExiftool()).pid);`);
    expect(aliveBefore).toBe(true);
    // Left to itself it would poll its closed stdin for ever.
    await expect.poll(() => alive(helper), { timeout: 5_000 }).toBe(false);
  });
});
