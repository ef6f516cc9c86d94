import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PluginError } from '@conveyor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFfmpegCommand, quietGlobalOptions } from '../src/ffmpeg-command.js';
import { runFfmpeg } from '../src/ffmpeg-run.js';
import { mediaPlugin } from '../src/index.js';
import { killGraceMs, runTool } from '../src/tool-process.js';
import { conversionContext, makeWorkDir, removeWorkDirs, writeFixture } from './media-fixtures.js';

afterAll(removeWorkDirs);

/** Ten minutes of 8 kHz mono: tiny to write as WAV, and a couple of seconds of work to encode as MP3. */
let longInput: string;
beforeAll(async () => {
  longInput = await writeFixture(await makeWorkDir(), 'wav', { seconds: 600, sampleRate: 8000 });
});

/** The processes whose command line mentions `text`, by id, with their arguments. */
async function commandLinesMentioning(text: string): Promise<Map<number, string[]>> {
  const found = new Map<number, string[]>();
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const commandLine = await readFile(join('/proc', pid, 'cmdline'), 'utf8').catch(() => '');
    if (commandLine.includes(text)) found.set(Number(pid), commandLine.split('\0').slice(0, -1));
  }
  return found;
}

/** Whether a process has its own SIGTERM handler yet (SigCgt, a hex mask with bit n-1 for signal n). */
async function catchesSigterm(pid: number): Promise<boolean> {
  const status = await readFile(join('/proc', String(pid), 'status'), 'utf8').catch(() => '');
  const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return caught !== undefined && (BigInt(`0x${caught}`) & (1n << 14n)) !== 0n;
}

/**
 * Waits for the ffmpeg writing into `dir` to be running, with its SIGTERM handler installed, and
 * halts it with SIGSTOP, so that it stays as it is, whatever its speed, until continued or killed.
 * (Before the handler exists, SIGTERM would kill even a stopped ffmpeg at once.)
 */
async function haltFfmpegWritingTo(dir: string): Promise<{ pid: number; args: string[]; environment: string[] }> {
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline) {
    const [found] = await commandLinesMentioning(dir);
    if (found && (await catchesSigterm(found[0]))) {
      const [pid, args] = found;
      process.kill(pid, 'SIGSTOP');
      const environment = (await readFile(join('/proc', String(pid), 'environ'), 'utf8')).split('\0').filter(Boolean).sort();
      return { pid, args, environment };
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no ffmpeg started writing into ${dir}`);
}

/** The processes whose command line mentions `text`: a killed ffmpeg must not be among them. */
async function processesMentioning(text: string): Promise<string[]> {
  return [...(await commandLinesMentioning(text))].map(([pid, args]) => `${pid}: ${args.join(' ')}`);
}

/** Resampled to 48 kHz, the long input takes several seconds to encode rather than half of one. */
const slowerEncoding = { sample_rate: 48_000 };

async function startLongConversion(signal: AbortSignal, onProgress?: (percent: number) => void, options: Record<string, unknown> = {}) {
  const dir = await makeWorkDir();
  const outputPath = join(dir, 'output.mp3');
  const { ctx, progress } = conversionContext({ inputPath: longInput, outputPath, from: 'wav', to: 'mp3', signal, options });
  const reported = ctx.progress;
  ctx.progress = (percent) => {
    reported(percent);
    onProgress?.(percent);
  };
  // The command lines fluent-ffmpeg reports on starting ffmpeg, through the context's log.
  const started: string[] = [];
  ctx.log = { ...ctx.log, debug: (message, fields) => message === 'ffmpeg started' && started.push(String(fields?.commandLine)) };
  return { dir, outputPath, progress, started, conversion: mediaPlugin.convert(ctx) };
}

describe('stopping a running conversion', () => {
  it('kills ffmpeg when cancelled mid-encode: rejects with cancelled within a second, no output, no process left', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const { dir, progress, conversion } = await startLongConversion(controller.signal, (percent) => {
      // Past 0, ffmpeg is running and has started writing the output.
      if (percent > 0 && abortedAt === 0) {
        abortedAt = performance.now();
        controller.abort(new Error('cancelled by the test'));
      }
    });
    const error = await conversion.catch((failure: unknown) => failure);
    const stoppedWithinMs = performance.now() - abortedAt;
    expect(abortedAt, 'the conversion reported progress while ffmpeg ran').toBeGreaterThan(0);
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(stoppedWithinMs).toBeLessThan(1000);
    expect(progress.some((percent) => percent > 0 && percent < 100)).toBe(true);
    expect(await readdir(dir)).toEqual([]);
    expect(await processesMentioning(dir)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await readdir(dir), 'nothing is written after the rejection').toEqual([]);
  });

  it('kills an ffmpeg that does not exit on SIGTERM once the grace period is over', async () => {
    const controller = new AbortController();
    const { dir, conversion } = await startLongConversion(controller.signal, undefined, slowerEncoding);
    // A stopped process keeps SIGTERM pending until it is continued: only SIGKILL ends it.
    await haltFfmpegWritingTo(dir);
    const abortedAt = performance.now();
    controller.abort(new Error('cancelled by the test'));
    await expect(conversion).rejects.toMatchObject({ code: 'cancelled' });
    const stoppedWithinMs = performance.now() - abortedAt;
    expect(stoppedWithinMs).toBeGreaterThanOrEqual(killGraceMs);
    expect(stoppedWithinMs).toBeLessThan(killGraceMs + 1000);
    expect(await readdir(dir)).toEqual([]);
    expect(await processesMentioning(dir)).toEqual([]);
  });

  it('runs ffmpeg as fluent-ffmpeg built it, with an environment of PATH and LC_ALL alone', async () => {
    // FFREPORT in the worker's environment would make an ffmpeg that inherits it write a report there.
    const reports = await mkdtemp(join(tmpdir(), 'conveyor-media-reports-'));
    process.env.FFREPORT = `file=${reports}/report.log`;
    try {
      const { dir, outputPath, conversion, started } = await startLongConversion(new AbortController().signal, undefined, slowerEncoding);
      const ffmpeg = await haltFfmpegWritingTo(dir);
      process.kill(ffmpeg.pid, 'SIGCONT');
      await conversion;
      expect(ffmpeg.environment).toEqual(['LC_ALL=C', `PATH=${process.env.PATH}`]);
      expect(started).toEqual([ffmpeg.args.join(' ')]);
      expect(await readdir(dir)).toEqual([basename(outputPath)]);
      expect(await readdir(reports)).toEqual([]);
    } finally {
      delete process.env.FFREPORT;
      await rm(reports, { recursive: true, force: true });
    }
  });

  it('rejects with timeout when the signal is a timeout’s', async () => {
    const { dir, conversion } = await startLongConversion(AbortSignal.timeout(400));
    const started = performance.now();
    await expect(conversion).rejects.toMatchObject({ code: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(await readdir(dir)).toEqual([]);
    expect(await processesMentioning(dir)).toEqual([]);
  });

  it('rejects at once with cancelled, starting nothing, when the signal is already aborted', async () => {
    const { dir, conversion, progress } = await startLongConversion(AbortSignal.abort(new Error('gone')));
    await expect(conversion).rejects.toMatchObject({ code: 'cancelled' });
    expect(progress).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('runFfmpeg', () => {
  it('stops ffmpeg as soon as it is spawned when the cancel came while fluent-ffmpeg was preparing the command', async () => {
    const dir = await makeWorkDir();
    // An hour of tone: ffmpeg would take far longer than the test to write it.
    const command = newFfmpegCommand()
      .input('sine=duration=3600')
      .inputOptions(quietGlobalOptions)
      .inputFormat('lavfi')
      .output(`file:${join(dir, 'tone.wav')}`)
      .format('wav');
    const controller = new AbortController();
    let spawned = false;
    const running = runFfmpeg(command, { signal: controller.signal, onStart: () => (spawned = true) });
    controller.abort();
    const started = performance.now();
    const result = await running;
    expect(spawned).toBe(true);
    expect(result.stopped).toBe(true);
    expect(result.code).not.toBe(0);
    expect(performance.now() - started).toBeLessThan(killGraceMs + 1000);
    expect(await processesMentioning(dir)).toEqual([]);
  });
});

describe('runTool', () => {
  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const controller = new AbortController();
    const stubborn = "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);";
    const running = runTool(process.execPath, ['-e', stubborn], {
      signal: controller.signal,
      onStdout: () => controller.abort(),
    });
    const started = performance.now();
    const result = await running;
    expect(result.stopped).toBe(true);
    expect(result.code).toBeNull();
    expect(performance.now() - started).toBeLessThan(killGraceMs + 1000);
  });
});
