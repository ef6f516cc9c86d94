// What the benchmark measures: raw sharp in-process, per-job latency over HTTP, and throughput.
import sharp from 'sharp';
import { isWebp } from './fixtures.mjs';
import { median, summarize } from './stats.mjs';

const WEBP_OPTIONS = { quality: 82 };
const JOB_TIMEOUT_MS = 60_000;

/** Milliseconds of one `sharp(input).webp({quality: 82}).toBuffer()` in this process. */
async function timeRawSharp(input) {
  const started = performance.now();
  await sharp(input).webp(WEBP_OPTIONS).toBuffer();
  return performance.now() - started;
}

/** Median/p95 of `sharp(input).webp({quality: 82}).toBuffer()` after `warmups` untimed runs. */
export async function measureRawSharp(input, { runs, warmups }) {
  for (let i = 0; i < warmups; i++) await timeRawSharp(input);
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await timeRawSharp(input));
  return summarize(samples);
}

const photoUpload = (photo) => [photo, { filename: 'photo.jpg', mime: 'image/jpeg', targetFormat: 'webp', options: WEBP_OPTIONS }];
const iconUpload = (png) => [png, { filename: 'icon.png', mime: 'image/png', targetFormat: 'webp', options: WEBP_OPTIONS }];

/** Converts each fixture a few times, untimed: loads the plugin, warms JIT, caches and pools. */
export async function warmUp(deployment, { photo, png, photoRuns = 3, pngRuns = 10 }) {
  const { client, assertAlive } = deployment;
  const uploads = [...Array(photoRuns).fill(photoUpload(photo)), ...Array(pngRuns).fill(iconUpload(png))];
  for (const [bytes, request] of uploads) {
    const job = await client.submit(bytes, request);
    // The first job can wait for a worker that is still starting, so it gets the longest wait.
    await client.waitForCompletion(job, { timeoutMs: JOB_TIMEOUT_MS, assertAlive });
  }
}

/**
 * One job at a time: time from submitting the upload to first seeing status `completed`
 * (long-polled). Before each job, one raw sharp conversion of the same photo, timed, while
 * the servers are idle: the machine's speed drifts over minutes, and each job's baseline
 * should be measured in the same minutes as the job. Then downloads the last output once and
 * checks it is the WebP.
 */
export async function measureLatency(deployment, photo, { runs }) {
  const { client, assertAlive } = deployment;
  const samples = [];
  const rawSamples = [];
  const phases = [];
  let last;
  for (let i = 0; i < runs; i++) {
    rawSamples.push(await timeRawSharp(photo));
    const started = performance.now();
    const job = await client.submit(...photoUpload(photo));
    const accepted = performance.now();
    last = await client.waitForCompletion(job, { timeoutMs: JOB_TIMEOUT_MS, assertAlive });
    const seen = performance.now();
    samples.push(seen - started);
    phases.push(phasesOf(last, { uploadMs: accepted - started, seenAt: Date.now() }));
  }
  const breakdown = medianPhases(phases);
  const output = await verifyOutput(client, last, { width: 1920, height: 1080 }).catch((error) => `FAILED: ${error.message}`);
  return { ...summarize(samples), raw: summarize(rawSamples), breakdown, output };
}

/**
 * `jobs` conversions with at most `window` in flight: each lane submits, long-polls until
 * completed, and takes the next. Rate = completed jobs ÷ wall time of the phase.
 */
export async function measureThroughput(deployment, png, { jobs, window, timeoutMs }) {
  const { client, assertAlive } = deployment;
  const deadline = performance.now() + timeoutMs;
  const failures = [];
  let next = 0;
  let completed = 0;
  let sample;
  const phases = [];
  const lane = async () => {
    while (next < jobs && performance.now() < deadline) {
      next++;
      try {
        const submitted = performance.now();
        const job = await client.submit(...iconUpload(png));
        const uploadMs = performance.now() - submitted;
        const done = await client.waitForCompletion(job, { timeoutMs: Math.max(1_000, deadline - performance.now()), assertAlive });
        completed++;
        phases.push(phasesOf(done, { uploadMs, seenAt: Date.now() }));
        sample ??= done;
      } catch (error) {
        failures.push(error.message.split('\n')[0]);
        assertAlive(); // a dead server process ends the phase instead of failing 500 jobs slowly
        if (failures.length >= 25) next = jobs; // something is systematically wrong: stop submitting
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: window }, lane));
  const seconds = (performance.now() - started) / 1000;
  const result = { jobs, submitted: next, completed, failed: failures.length, failures: [...new Set(failures)].slice(0, 5), seconds, rate: completed / seconds, breakdown: medianPhases(phases) };
  result.output = sample ? await verifyOutput(client, sample, { width: 64, height: 64 }).catch((error) => `FAILED: ${error.message}`) : 'no output';
  return result;
}

/**
 * Where one job's time went, from the client's clock and the job's own timestamps (server and
 * benchmark share this machine's clock). A phase the job JSON does not report is NaN.
 */
function phasesOf(job, { uploadMs, seenAt }) {
  const at = (value) => (value ? Date.parse(value) : Number.NaN);
  const step = Array.isArray(job.steps) && job.steps.length === 1 ? job.steps[0] : undefined;
  return {
    'upload until 202': uploadMs,
    'queued until step started': at(step?.started_at ?? job.started_at) - at(job.queued_at),
    'conversion step': at(step?.completed_at) - at(step?.started_at),
    'step done until job completed': at(job.completed_at) - at(step?.completed_at),
    // The projection into the read model, then the answer to the client's long poll.
    'job completed until the client sees it': seenAt - at(job.completed_at),
  };
}

function medianPhases(phases) {
  if (phases.length === 0) return undefined;
  return Object.fromEntries(Object.keys(phases[0]).map((phase) => [phase, median(phases.map((entry) => entry[phase]).filter(Number.isFinite))]));
}

/** Downloads a completed job's output and checks it is a WebP of the expected size. */
async function verifyOutput(client, job, { width, height }) {
  if (!job.output_file_id) throw new Error(`completed job ${job.id} has no output_file_id`);
  const bytes = await client.download(job.org_id, job.output_file_id);
  if (!isWebp(bytes)) throw new Error(`job ${job.id}'s output is not WebP (starts ${bytes.subarray(0, 12).toString('hex')})`);
  const metadata = await sharp(bytes).metadata();
  if (metadata.width !== width || metadata.height !== height) {
    throw new Error(`job ${job.id}'s output is ${metadata.width}×${metadata.height}, expected ${width}×${height}`);
  }
  return `WebP ${width}×${height}, ${bytes.length} bytes`;
}
