import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const built = fileURLToPath(new URL('../dist/exiftool-process.js', import.meta.url));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the exiftool process', () => {
  it('dies with the process that started it, even when that one is killed outright', async () => {
    // A stand-in for a Conveyor process: it starts exiftool as the plugin does, says its pid, and waits.
    const host = spawn(
      process.execPath,
      ['--input-type=module', '-e', `const { spawnExiftool } = await import(${JSON.stringify(built)}); const child = await spawnExiftool(); console.log(child.pid); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = (await once(host.stdout!, 'data')) as [Buffer];
    const exiftoolPid = Number(line.toString().trim());
    expect(alive(exiftoolPid)).toBe(true);

    host.kill('SIGKILL');
    await once(host, 'exit');
    // Left to itself it would poll its closed stdin for ever.
    await expect.poll(() => alive(exiftoolPid), { timeout: 5_000 }).toBe(false);
  });
});
