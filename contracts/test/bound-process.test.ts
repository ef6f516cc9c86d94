import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive, killHostOfHelper } from '../../test/support/orphan-check.js';
import { boundToThisProcess } from '../src/bound-process.js';

const built = fileURLToPath(new URL('../dist/bound-process.js', import.meta.url));

describe('boundToThisProcess', () => {
  it('runs the command itself under setpriv, keeping its arguments', () => {
    const [file, args] = boundToThisProcess('soffice.bin', ['--headless', '--accept=x']);
    expect(file).toMatch(/\/setpriv$/);
    expect(args).toEqual(['--pdeathsig', 'KILL', '--', 'soffice.bin', '--headless', '--accept=x']);
  });

  it('starts a helper that dies with the process that started it, even one killed outright', async () => {
    const { helper, aliveBefore } = await killHostOfHelper(`const { spawn } = await import('node:child_process');
      const { boundToThisProcess } = await import(${JSON.stringify(built)});
      const [file, args] = boundToThisProcess('sleep', ['600']);
      const child = spawn(file, args, { stdio: 'ignore' });
      child.once('spawn', () => console.log(child.pid));`);
    expect(aliveBefore).toBe(true);
    await expect.poll(() => alive(helper), { timeout: 5_000 }).toBe(false);
  });
});
