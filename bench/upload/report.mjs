// The upload benchmark's report, as Markdown.
import { fixed, median } from '../pipeline/stats.mjs';

const MiB = 2 ** 20;
const megabytesPerSecond = (bytes, seconds) => bytes / seconds / 1e6;
const verdict = (pass) => (pass ? 'PASS' : 'MISS');

function throughputOf(runs, bytes) {
  const rates = runs.map((run) => megabytesPerSecond(bytes, run.seconds));
  return { median: median(rates), min: Math.min(...rates), max: Math.max(...rates), each: rates.map((rate) => fixed(rate)).join(', ') };
}

/** Renders the header lines, one throughput table per target, and the api process's memory. */
export function renderUploadReport({ settings, modes, header }) {
  const bytes = settings.uploadBytes;
  const lines = ['# Conveyor upload benchmark', ''];
  for (const [name, value] of Object.entries(header)) lines.push(`- ${name}: ${value}`);
  lines.push(
    `- each figure: ${settings.runs} uploads of ${bytes / MiB} MiB over loopback (after one of ${settings.warmupBytes / MiB} MiB), one at a time, each on a new connection; baseline and Conveyor take turns (ABBA), and each upload is deleted once measured`,
    '- Conveyor: `conveyor start` (embedded), `POST /api/uploads/init` then `PUT /api/uploads/{file_id}/data`, timed from the first byte sent to the answer (the file registered and `ready`)',
    '',
    '## Throughput',
    '',
    '| target | what | median MB/s | min–max MB/s | each run MB/s | median ÷ baseline | goal | result |',
    '|---|---|---:|---:|---|---:|---|---|',
  );
  const memoryRows = [];
  let worstGrowth = 0;
  for (const mode of modes) {
    const baseline = throughputOf(mode.baseline, bytes);
    const conveyor = throughputOf(mode.conveyor, bytes);
    const isLocal = mode.key === 'local';
    const goal = isLocal ? `≥ ${settings.targets.localMegabytesPerSecond} MB/s` : '—';
    const result = isLocal ? verdict(conveyor.median >= settings.targets.localMegabytesPerSecond) : '—';
    lines.push(`| ${mode.label} | baseline: ${mode.baselineLabel} | ${fixed(baseline.median)} | ${fixed(baseline.min)}–${fixed(baseline.max)} | ${baseline.each} | 1.00 | — | — |`);
    lines.push(`| ${mode.label} | Conveyor | ${fixed(conveyor.median)} | ${fixed(conveyor.min)}–${fixed(conveyor.max)} | ${conveyor.each} | ${fixed(conveyor.median / baseline.median, 2)} | ${goal} | ${result} |`);
    mode.conveyor.forEach((run, index) => {
      worstGrowth = Math.max(worstGrowth, run.memory.growth);
      memoryRows.push(
        `| ${mode.label} | ${index + 1} | ${fixed(run.memory.baseline / MiB)} | ${fixed(run.memory.peak / MiB)} | ${fixed(run.memory.growth / MiB)} | ${run.memory.source} |`,
      );
    });
  }
  const goalMiB = settings.targets.rssGrowthMiB;
  lines.push(
    '',
    '1 MB = 10⁶ bytes. The ratio compares Conveyor with its baseline measured in the same run, on the same machine.',
    '',
    '## Peak RSS growth of the api process during each upload',
    '',
    '| target | run | RSS before MiB | peak MiB | growth MiB | peak from |',
    '|---|---:|---:|---:|---:|---|',
    ...memoryRows,
    '',
    `Largest growth: **${fixed(worstGrowth / MiB)} MiB**, goal < ${goalMiB} MiB — ${verdict(worstGrowth < goalMiB * MiB)}. ` +
      `The body is ${bytes / MiB} MiB, so a server that buffered it would grow by about that much.`,
    '',
  );
  return lines.join('\n');
}
