import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive, killHostOfHelper } from '../../../test/support/orphan-check.js';
import { runTool } from '../src/tool-run.js';

const builtToolRun = JSON.stringify(fileURLToPath(new URL('../dist/tool-run.js', import.meta.url)));
const never = new AbortController().signal;

describe('the scanner’s tool runs', () => {
  it('finds a tool missing whether it is named by path or looked up on PATH', async () => {
    expect(await runTool('/nonexistent/ffprobe', ['-version'], never, 5_000)).toEqual({ outcome: 'missing' });
    expect(await runTool('conveyor-no-such-tool', ['-version'], never, 5_000)).toEqual({ outcome: 'missing' });
  });

  it('runs a tool found on PATH and reports its exit code and output', async () => {
    const run = await runTool('sh', ['-c', 'echo out; echo err >&2; exit 3'], never, 5_000);
    expect(run).toEqual({ outcome: 'exited', code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('stops a tool that outlives its time', async () => {
    expect(await runTool('sleep', ['30'], never, 100)).toEqual({ outcome: 'timed-out' });
  });

  it('a tool dies with the worker that started it, even one killed outright', async () => {
    const { helper, aliveBefore } = await killHostOfHelper(`const { readdir, readFile } = await import('node:fs/promises');
      const { runTool } = await import(${builtToolRun});
      void runTool('sleep', ['601'], new AbortController().signal, 600_000);
      for (;;) {
        const pids = (await readdir('/proc')).filter((entry) => /^[0-9]+$/.test(entry));
        const lines = await Promise.all(pids.map((pid) => readFile('/proc/' + pid + '/cmdline', 'utf8').catch(() => '')));
        const index = lines.findIndex((line) => line.split('\\0').join(' ').endsWith('sleep 601 '));
        if (index >= 0) { console.log(pids[index]); break; }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }`);
    try {
      expect(aliveBefore).toBe(true);
      await expect.poll(() => alive(helper), { timeout: 5_000 }).toBe(false);
    } finally {
      if (alive(helper)) process.kill(helper, 'SIGKILL');
    }
  });
});
