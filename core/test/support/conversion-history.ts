import type { StoredBlob } from '@conveyor/contracts';
import { conversionAggregate, fileAggregate } from '../../src/aggregates/aggregate-types.js';
import type { CommandHandler } from '../../src/aggregates/command-handler.js';
import type { Clock } from '../../src/system/clock.js';
import { randomIds } from '../../src/system/ids.js';

/** Histories written through the real deciders, for tests of what is built from the events (projections, replay). */
export const historyOrg = 'org1';

/** Every blob of these histories: 1234 bytes, named by its key. */
export const storedBlob = (key: string, format: string): StoredBlob => ({ blob_key: key, size: 1234, sha256: 'c'.repeat(64), format, mime: `image/${format}` });

export const commandMeta = (aggregateId: string) => ({ aggregateId, orgId: historyOrg, commandId: randomIds.next(), correlationId: aggregateId });

/** A PNG upload registered under `fileId`. */
export async function registerUpload(commands: CommandHandler, clock: Clock, fileId: string): Promise<void> {
  await commands.handle(fileAggregate, commandMeta(fileId), {
    type: 'RegisterUpload',
    data: { ...storedBlob(`org/${historyOrg}/files/${fileId}`, 'png'), name: 'a.png', visibility: 'private', uploaded_at: clock.now().toISOString(), source: { kind: 'upload' } },
  });
}

export interface ConversionRun {
  jobId: string;
  fileId: string;
  /** Completed, with its output registered as a file; or its step failed. */
  succeed: boolean;
  options?: Record<string, unknown>;
  /** A progress report while the step runs; none when undefined. */
  progressPct?: number;
  errorMessage?: string;
}

/** One png → webp job on `fileId`, from its request to its completion (or its step's failure). */
export async function runConversion(commands: CommandHandler, clock: Clock, run: ConversionRun): Promise<void> {
  const { jobId, fileId, options = { quality: 70 } } = run;
  const meta = () => commandMeta(jobId);
  await commands.handle(conversionAggregate, meta(), {
    type: 'RequestConversion',
    data: { file_id: fileId, source_name: 'a.png', source_format: 'png', source_blob_key: `org/${historyOrg}/files/${fileId}`, target_format: 'webp', options },
  });
  await commands.handle(conversionAggregate, meta(), { type: 'PlanConversion', data: { steps: [{ index: 0, from: 'png', to: 'webp', plugin: 'image', options: { quality: 70 } }] } });
  await commands.handle(conversionAggregate, meta(), { type: 'StartConversionStep', data: { step_index: 0, attempt: 1 } });
  if (run.progressPct !== undefined) await commands.handle(conversionAggregate, meta(), { type: 'ReportConversionProgress', data: { step_index: 0, progress_pct: run.progressPct } });
  if (!run.succeed) {
    await commands.handle(conversionAggregate, meta(), { type: 'FailConversionStep', data: { step_index: 0, error_code: 'invalid_input', error_message: run.errorMessage ?? 'truncated' } });
    return;
  }
  const output = storedBlob(`org/${historyOrg}/jobs/${jobId}/step-0`, 'webp');
  await commands.handle(conversionAggregate, meta(), { type: 'CompleteConversionStep', data: { step_index: 0, output } });
  const outputId = randomIds.next();
  await commands.handle(fileAggregate, commandMeta(outputId), {
    type: 'RegisterUpload',
    data: { ...output, name: 'a.webp', visibility: 'private', uploaded_at: clock.now().toISOString(), source: { kind: 'conversion', job_id: jobId, source_file_id: fileId } },
  });
  await commands.handle(conversionAggregate, meta(), { type: 'CompleteConversion', data: { output_file_id: outputId } });
}
