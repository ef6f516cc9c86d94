import { readdir, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { PluginError, type ConvertContext, type ConvertStepTask, type EventEnvelope, type PluginDefinition } from '@conveyor/contracts';
import {
  CommandHandler,
  conversionAggregate,
  LocalDiskBlobStore,
  outputBlobKey,
  randomIds,
  SqlEventLog,
  systemClock,
} from '@conveyor/core';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversionStepRunner } from '../src/step-runner.js';
import { roomyLimits, runnerFixture, taskDelivery, type RunnerFixture } from './support/runner-fixture.js';
import type { StepRecorder } from '../src/step-metrics.js';

describe('conversion step runner', () => {
  let fixture: RunnerFixture;
  let log: SqlEventLog;
  let commands: CommandHandler;
  let blobs: LocalDiskBlobStore;
  let workDir: string;

  beforeEach(async () => {
    fixture = await runnerFixture('step-runner');
    ({ log, blobs, workDir } = fixture);
    commands = new CommandHandler(log, systemClock);
  });

  afterEach(() => fixture.close());

  const meta = (jobId: string) => ({ aggregateId: jobId, orgId: 'org1', commandId: randomIds.next(), correlationId: jobId });

  /** A planned one-step job whose source is stored; answers its step's task. */
  async function plannedJob(): Promise<ConvertStepTask['data']> {
    const jobId = randomIds.next();
    const sourceKey = `org/org1/files/${jobId}`;
    await blobs.write(sourceKey, Readable.from([Buffer.from('source bytes')]));
    await commands.handle(conversionAggregate, meta(jobId), {
      type: 'RequestConversion',
      data: { file_id: 'f1', source_name: 'a.txt', source_format: 'txt', source_blob_key: sourceKey, target_format: 'md', options: {} },
    });
    await commands.handle(conversionAggregate, meta(jobId), {
      type: 'PlanConversion',
      data: { steps: [{ index: 0, from: 'txt', to: 'md', plugin: 'slow', options: {} }] },
    });
    return { job_id: jobId, org_id: 'org1', step_index: 0, plugin: 'slow', from: 'txt', to: 'md', options: {}, input_blob_key: sourceKey, output_name: 'a.md' };
  }

  /** A plugin that waits for `release` (or its signal) before it writes its output. */
  function slowPlugin() {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const calls: ConvertContext[] = [];
    const plugin: PluginDefinition = {
      id: 'slow',
      name: 'slow',
      version: '1.0.0',
      capabilities: [],
      handlesMetadata: true,
      async convert(ctx) {
        calls.push(ctx);
        await new Promise<void>((resolve, reject) => {
          void released.then(resolve);
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true });
        });
        await writeFile(ctx.outputPath, 'converted');
      },
    } as PluginDefinition;
    return { plugin, calls, release };
  }

  function runner(plugin: PluginDefinition, settings: { jobWatchMs?: number; recordStep?: StepRecorder } = {}) {
    return new ConversionStepRunner(
      commands,
      blobs,
      new Map([[plugin.id, plugin]]),
      () => 'text/markdown',
      { workDir, limits: roomyLimits, ackWaitMs: 30_000, stripMetadata: undefined, ...settings },
      pino({ level: 'silent' }),
    );
  }

  const delivery = () => taskDelivery('task.convert.slow');

  async function eventTypes(jobId: string): Promise<string[]> {
    const messages = await log.readSubject('events', `evt.conversion.${jobId}`);
    return messages.map((message) => (message.payload as EventEnvelope).type);
  }

  it('records the start, then the outcome, and leaves no folder behind', async () => {
    const task = await plannedJob();
    const { plugin, calls, release } = slowPlugin();
    const measured: Array<[string, string, number]> = [];
    const running = runner(plugin, { recordStep: (step, outcome, seconds) => measured.push([`${step.plugin}:${step.from}->${step.to}`, outcome, seconds]) }).run(task, delivery());
    await expect.poll(() => calls.length).toBe(1);
    release();
    await running;

    expect(await eventTypes(task.job_id)).toEqual(['ConversionRequested', 'ConversionPlanned', 'ConversionStepStarted', 'ConversionStepCompleted']);
    expect(await blobs.size(outputBlobKey('org1', task.job_id, 0))).toBe('converted'.length);
    expect(await readdir(workDir)).toEqual([]);
    expect(measured).toEqual([['slow:txt->md', 'completed', expect.any(Number)]]);
    expect(measured[0]![2]).toBeGreaterThan(0);
  });

  it("measures a step the plugin failed as failed", async () => {
    const task = await plannedJob();
    const failing = { ...slowPlugin().plugin, convert: async () => Promise.reject(new PluginError('invalid_input', 'not a text file')) } as PluginDefinition;
    const measured: string[] = [];
    await runner(failing, { recordStep: (_step, outcome) => measured.push(outcome) }).run(task, delivery());
    expect(await eventTypes(task.job_id)).toContain('ConversionStepFailed');
    expect(measured).toEqual(['failed']);
  });

  it('stops a step whose job ended before its start was recorded, and records nothing of it', async () => {
    const task = await plannedJob();
    await commands.handle(conversionAggregate, meta(task.job_id), { type: 'CancelConversion', data: {} });
    const { plugin, calls } = slowPlugin();

    await runner(plugin).run(task, delivery());

    // The plugin may have begun meanwhile; if it did, it was told to stop.
    for (const call of calls) expect(call.signal.aborted).toBe(true);
    expect(await eventTypes(task.job_id)).toEqual(['ConversionRequested', 'ConversionPlanned', 'ConversionCancelled']);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('stops the plugin when the job is cancelled while it runs, and records no outcome of the step', async () => {
    const task = await plannedJob();
    const { plugin, calls } = slowPlugin();
    const running = runner(plugin, { jobWatchMs: 50 }).run(task, delivery());
    await expect.poll(() => eventTypes(task.job_id)).toContain('ConversionStepStarted');
    await expect.poll(() => calls.length).toBe(1);
    await commands.handle(conversionAggregate, meta(task.job_id), { type: 'CancelConversion', data: {} });

    // The task is done with (acknowledged), not thrown back for redelivery.
    await running;
    // Stopped for the cancel, not by the step's timeout (10 s here).
    expect((calls[0]!.signal.reason as Error).message).toBe('the job ended (cancelled) while the step ran');
    expect(await eventTypes(task.job_id)).toEqual(['ConversionRequested', 'ConversionPlanned', 'ConversionStepStarted', 'ConversionCancelled']);
    expect(await blobs.size(outputBlobKey('org1', task.job_id, 0)).catch(() => undefined)).toBeUndefined();
    expect(await readdir(workDir)).toEqual([]);
  });
});
