import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { definePlugin, PluginError, type ConvertContext, type PluginDefinition } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { checkStopsWhenAbortedBeforeStart, checkStopsWhenAbortedMidway } from './checks/cancellation.js';
import { checkConvertsSample } from './checks/conversion.js';
import { checkRefusesCorruptInput } from './checks/corrupt-input.js';
import { checkProbe } from './checks/probe.js';
import { checkEverySourceHasASample } from './checks/samples.js';
import { conformanceSettings, type PluginConformanceOptions } from './conformance-settings.js';

// The suite is only worth running if it fails plugins that break the rules: each test here
// breaks one rule on purpose and expects the matching check to say so.

const cancelled = () => new PluginError('cancelled', 'shouting cancelled');

/** Upper-cases text in two halves, checking the signal before each: a plugin that keeps every rule. */
async function shout(ctx: ConvertContext): Promise<void> {
  if (ctx.signal.aborted) throw cancelled();
  const text = await readFile(ctx.inputPath, 'utf8');
  if (text.includes('\0')) throw new PluginError('invalid_input', 'not a text file');
  const half = Math.ceil(text.length / 2);
  ctx.progress(0);
  const first = text.slice(0, half).toUpperCase();
  await new Promise((resolve) => setImmediate(resolve));
  if (ctx.signal.aborted) throw cancelled();
  ctx.progress(50);
  await new Promise((resolve) => setImmediate(resolve));
  if (ctx.signal.aborted) throw cancelled();
  await writeFile(ctx.outputPath, first + text.slice(half).toUpperCase());
  ctx.progress(100);
}

const wellBehaved = definePlugin({
  id: 'shout',
  version: '1.0.0',
  formats: [{ id: 'shout', name: 'Shouted text', mime: 'text/x-shout', extensions: ['shout'], category: 'other' }],
  capabilities: [{ from: 'txt', to: 'shout' }],
  probe: async () => ({ ok: true }),
  convert: shout,
});

const capability = wellBehaved.capabilities[0]!;
const options: PluginConformanceOptions = {
  samples: { txt: async () => Buffer.from('quiet words, spoken softly\n') },
  corruptSample: { from: 'txt', bytes: async () => Buffer.from('binary\0data') },
  abortWithinMs: 300,
};

function variant(overrides: Partial<PluginDefinition>): PluginDefinition {
  return { ...wellBehaved, ...overrides };
}

const settingsOf = (plugin: PluginDefinition, overrides: Partial<PluginConformanceOptions> = {}) => conformanceSettings(plugin, { ...options, ...overrides });
const converts = (plugin: PluginDefinition, overrides?: Partial<PluginConformanceOptions>) => checkConvertsSample(plugin, capability, settingsOf(plugin, overrides));
const stopsBeforeStart = (plugin: PluginDefinition) => checkStopsWhenAbortedBeforeStart(plugin, capability, settingsOf(plugin));
const stopsMidway = (plugin: PluginDefinition) => checkStopsWhenAbortedMidway(plugin, capability, settingsOf(plugin));

describe('the conformance checks', () => {
  it('pass a plugin that keeps every rule', async () => {
    await checkProbe(wellBehaved);
    checkEverySourceHasASample(wellBehaved, settingsOf(wellBehaved));
    await converts(wellBehaved);
    await stopsBeforeStart(wellBehaved);
    await stopsMidway(wellBehaved);
    await checkRefusesCorruptInput(wellBehaved, settingsOf(wellBehaved));
  });

  it('fail a capability whose source format has no sample, naming the format', async () => {
    const noSamples = { samples: {} };
    await expect(converts(wellBehaved, noSamples)).rejects.toThrow(/no sample input for "txt"/);
    expect(() => checkEverySourceHasASample(wellBehaved, settingsOf(wellBehaved, noSamples))).toThrow(/source formats with no sample input/);
  });

  it('fail a plugin that writes a file beside its output', async () => {
    const littering = variant({
      convert: async (ctx) => {
        await shout(ctx);
        await writeFile(join(dirname(ctx.outputPath), 'scratch.txt'), 'left behind');
      },
    });
    await expect(converts(littering)).rejects.toThrow(/wrote outside outputPath[\s\S]*job\/scratch\.txt/);
  });

  it('fail a plugin that leaves a temporary file in the system temporary directory', async () => {
    const littering = variant({
      convert: async (ctx) => {
        await writeFile(join(tmpdir(), 'shout-scratch'), 'left behind');
        await shout(ctx);
      },
    });
    await expect(converts(littering)).rejects.toThrow(/wrote outside outputPath[\s\S]*tmp\/shout-scratch/);
  });

  it('fail a plugin that changes its input', async () => {
    const overwriting = variant({
      convert: async (ctx) => {
        await shout(ctx);
        await writeFile(ctx.inputPath, 'overwritten');
      },
    });
    await expect(converts(overwriting)).rejects.toThrow(/changed its input file/);
  });

  it('fail an output that does not look like the target format', async () => {
    const mislabelling = variant({ capabilities: [{ from: 'txt', to: 'png' }] });
    await expect(checkConvertsSample(mislabelling, { from: 'txt', to: 'png' }, settingsOf(mislabelling))).rejects.toThrow(/does not look like png/);
  });

  it('fail progress that goes backwards or beyond 100', async () => {
    const backwards = variant({ convert: async (ctx) => shout({ ...ctx, progress: (percent) => ctx.progress(100 - percent) }) });
    await expect(converts(backwards)).rejects.toThrow(/progress went backwards/);
    const overshooting = variant({ convert: async (ctx) => shout({ ...ctx, progress: (percent) => ctx.progress(percent * 2) }) });
    await expect(converts(overshooting)).rejects.toThrow(/outside 0–100/);
  });

  it('fail a plugin that converts although its signal is already aborted', async () => {
    const heedless = variant({ convert: async (ctx) => shout({ ...ctx, signal: new AbortController().signal }) });
    await expect(stopsBeforeStart(heedless)).rejects.toThrow(/resolved where it should have failed/);
  });

  it('fail a plugin that answers an abort with an error other than PluginError', async () => {
    const generic = variant({
      convert: async (ctx) => {
        if (ctx.signal.aborted) throw new Error('aborted');
        await shout(ctx);
      },
    });
    await expect(stopsBeforeStart(generic)).rejects.toThrow(/threw Error: aborted, not a PluginError/);
  });

  it('fail a plugin that keeps working long after an abort mid-way', async () => {
    const slow = variant({
      convert: async (ctx) => {
        ctx.progress(10);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        throw cancelled();
      },
    });
    await expect(stopsMidway(slow)).rejects.toThrow(/still running 300 ms later/);
  });

  it('fail a plugin that answers an abort at once but writes its output afterwards', async () => {
    const detached = variant({
      convert: async (ctx) => {
        ctx.progress(10);
        const background = new Promise((resolve) => setTimeout(resolve, 50)).then(() => writeFile(ctx.outputPath, 'LATE'));
        if (ctx.signal.aborted) throw cancelled();
        await background;
      },
    });
    await expect(stopsMidway(detached)).rejects.toThrow(/folder changed after the plugin had stopped[\s\S]*job\/output\.shout/);
  });

  it('fail a plugin that reports no progress before finishing, since it cannot be aborted mid-way', async () => {
    const silent = variant({ convert: async (ctx) => shout({ ...ctx, progress: () => undefined }) });
    await expect(stopsMidway(silent)).rejects.toThrow(/without reporting progress below 100/);
  });

  it('fail a plugin that throws a generic Error on a corrupt input', async () => {
    const generic = variant({
      convert: async (ctx) => {
        if ((await readFile(ctx.inputPath, 'utf8')).includes('\0')) throw new TypeError('cannot read');
        await shout(ctx);
      },
    });
    await expect(checkRefusesCorruptInput(generic, settingsOf(generic))).rejects.toThrow(/threw TypeError: cannot read, not a PluginError/);
  });

  it('fail a probe that gives no reason, or throws instead of answering', async () => {
    await expect(checkProbe(variant({ probe: async () => ({ ok: false, reason: ' ' }) }))).rejects.toThrow(/not \{ ok: true \} or \{ ok: false, reason/);
    await expect(checkProbe(variant({ probe: async () => Promise.reject(new Error('no libfoo')) }))).rejects.toThrow(/probe threw Error: no libfoo/);
  });
});
