import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundToThisProcess } from '../src/bound-process.js';

const built = fileURLToPath(new URL('../dist/bound-process.js', import.meta.url));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('boundToThisProcess', () => {
  it('runs the command itself under setpriv, keeping its arguments', () => {
    const [file, args] = boundToThisProcess('soffice.bin', ['--headless', '--accept=x']);
    expect(file).toMatch(/\/setpriv$/);
    expect(args).toEqual(['--pdeathsig', 'KILL', '--', 'soffice.bin', '--headless', '--accept=x']);
  });

  it('starts a helper that dies with the process that started it, even one killed outright', async () => {
    // A stand-in for a Conveyor process: it starts a long sleep bound to itself, says its pid, and waits.
    const script = `const { spawn } = await import('node:child_process'); const { boundToThisProcess } = await import(${JSON.stringify(built)});
      const [file, args] = boundToThisProcess('sleep', ['600']); const child = spawn(file, args, { stdio: 'ignore' });
      child.once('spawn', () => console.log(child.pid)); setInterval(() => {}, 1000);`;
    const host = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(host.stdout!, 'data')) as [Buffer];
    const helper = Number(line.toString().trim());
    expect(alive(helper)).toBe(true);

    host.kill('SIGKILL');
    await once(host, 'exit');
    await expect.poll(() => alive(helper), { timeout: 5_000 }).toBe(false);
  });
});
