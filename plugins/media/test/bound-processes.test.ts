import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive, killHostOfHelper } from '../../../test/support/orphan-check.js';

const built = (module: string) => JSON.stringify(fileURLToPath(new URL(`../dist/${module}.js`, import.meta.url)));

/** Ten minutes of a test picture, read at its own pace (-re), into nothing: an ffmpeg that runs until it is stopped. */
const endlessInput = 'testsrc=duration=600:size=322x242:rate=25';
/**
 * Nothing on stderr while it runs: a chatty ffmpeg dies of SIGPIPE at its next write once its
 * host is gone, a quiet one (a long encode logging errors only) would run on for nobody.
 */
const quiet = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-nostats', '-re'];

/** The helper was running before its host was killed, and is gone soon after; a survivor is killed, not left running. */
async function expectToDieWithItsHost(helper: number, aliveBefore: boolean): Promise<void> {
  try {
    expect(aliveBefore).toBe(true);
    await expect.poll(() => alive(helper), { timeout: 5_000 }).toBe(false);
  } finally {
    if (alive(helper)) process.kill(helper, 'SIGKILL');
  }
}

describe('ffmpeg and ffprobe processes', () => {
  it('an ffmpeg conversion dies with the worker that started it, even one killed outright', async () => {
    const { helper, aliveBefore } = await killHostOfHelper(`const { newFfmpegCommand } = await import(${built('ffmpeg-command')});
      const command = newFfmpegCommand().input(${JSON.stringify(endlessInput)}).inputFormat('lavfi').inputOptions(${JSON.stringify(quiet)}).format('null').output('/dev/null');
      command.on('start', () => console.log(command.ffmpegProc.pid));
      command.on('error', () => {});
      command.run();`);
    await expectToDieWithItsHost(helper, aliveBefore);
  });

  it('a tool run directly dies with the worker that started it, even one killed outright', async () => {
    const { helper, aliveBefore } = await killHostOfHelper(`const { readdir, readFile } = await import('node:fs/promises');
      const { runTool } = await import(${built('tool-process')});
      void runTool('ffmpeg', [...${JSON.stringify(quiet)}, '-f', 'lavfi', '-i', ${JSON.stringify(endlessInput)}, '-f', 'null', '-'], { signal: new AbortController().signal });
      for (;;) {
        const pids = (await readdir('/proc')).filter((entry) => /^[0-9]+$/.test(entry));
        const lines = await Promise.all(pids.map((pid) => readFile('/proc/' + pid + '/cmdline', 'utf8').catch(() => '')));
        const index = lines.findIndex((line) => line.startsWith('ffmpeg') && line.includes(${JSON.stringify(endlessInput)}));
        if (index >= 0) { console.log(pids[index]); break; }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }`);
    await expectToDieWithItsHost(helper, aliveBefore);
  });
});
