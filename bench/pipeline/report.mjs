// Renders the benchmark's results as Markdown: printed to the console and saved to RESULTS.md.
import { fixed } from './stats.mjs';

const verdict = (ok) => (ok ? 'PASS' : 'MISS');

/**
 * @param {object} run  { header: {label: value}, raw, modes: [{label, target, latency?, throughput?, errors[]}] , settings }
 * @returns {string}
 */
export function renderReport(run) {
  const { header, raw, modes, settings } = run;
  const lines = ['# Conveyor pipeline benchmark', ''];
  for (const [label, value] of Object.entries(header)) lines.push(`- ${label}: ${value}`);

  lines.push(
    '',
    `## (a) Latency: ${settings.latencyRuns} × JPEG 1920×1080 (${Math.round(settings.photoBytes / 1024)} KiB) → WebP quality 82, one at a time`,
    '',
    '| run | median ms | p95 ms | raw sharp median ms, same minutes | median ÷ raw | target | result |',
    '|---|---:|---:|---:|---:|---|---|',
    `| raw sharp, in-process (\`sharp(input).webp({quality: 82}).toBuffer()\`), before the modes | ${fixed(raw.median)} | ${fixed(raw.p95)} | — | — | — | — |`,
  );
  for (const mode of modes) {
    const target = `≤ ${fixed(settings.maxLatencyRatio, 2)}`;
    if (mode.latency) {
      const ratio = mode.latency.median / mode.latency.raw.median;
      const ok = ratio <= settings.maxLatencyRatio && !mode.latency.output.startsWith('FAILED');
      lines.push(
        `| HTTP submit → completed, ${mode.label} | ${fixed(mode.latency.median)} | ${fixed(mode.latency.p95)} | ${fixed(mode.latency.raw.median)} | ${fixed(ratio, 2)} | ${target} | ${verdict(ok)} |`,
      );
    } else {
      lines.push(`| HTTP submit → completed, ${mode.label} | — | — | — | — | ${target} | MISS (error) |`);
    }
  }
  lines.push(
    '',
    'Each job is preceded by one raw sharp conversion of the same photo, timed while the servers are idle; a mode\'s ratio is its median over the median of those.',
  );

  lines.push(...breakdownTable(modes, (mode) => mode.latency?.breakdown));

  lines.push(
    '',
    `## (b) Throughput: ${settings.throughputJobs} × PNG 64×64 → WebP, at most ${settings.window} in flight`,
    '',
    '| mode | completed | failed | seconds | jobs/s | target | result |',
    '|---|---:|---:|---:|---:|---|---|',
  );
  for (const mode of modes) {
    const target = `≥ ${mode.minRate} jobs/s`;
    const t = mode.throughput;
    if (t) {
      const ok = t.rate >= mode.minRate && t.failed === 0 && t.completed === t.jobs && !t.output.startsWith('FAILED');
      lines.push(`| ${mode.label} | ${t.completed}/${t.jobs} | ${t.failed} | ${fixed(t.seconds, 2)} | ${fixed(t.rate)} | ${target} | ${verdict(ok)} |`);
    } else {
      lines.push(`| ${mode.label} | — | — | — | — | ${target} | MISS (error) |`);
    }
  }

  lines.push(...breakdownTable(modes, (mode) => mode.throughput?.breakdown));
  lines.push(...cpuTable(modes));

  const checks = modes.flatMap((mode) => [
    mode.latency && `- ${mode.label}, latency run: last output downloaded: ${mode.latency.output}`,
    mode.throughput && `- ${mode.label}, throughput run: one output downloaded: ${mode.throughput.output}`,
  ]).filter(Boolean);
  if (checks.length) lines.push('', '## Output checks', '', ...checks);

  const problems = modes.flatMap((mode) => [
    ...mode.errors.map((message) => `- ${mode.label}: ${indent(message)}`),
    ...(mode.throughput?.failures ?? []).map((message) => `- ${mode.label}, a failed throughput job: ${message}`),
  ]);
  if (problems.length) lines.push('', '## Errors', '', ...problems);
  return `${lines.join('\n')}\n`;
}

function indent(message) {
  const [first, ...rest] = String(message).trimEnd().split('\n');
  return rest.length ? `${first}\n\n  \`\`\`\n${rest.map((line) => `  ${line}`).join('\n')}\n  \`\`\`` : first;
}

/** Median ms per phase of a job, one column per mode, or nothing when no mode has them. */
function breakdownTable(modes, breakdownOf) {
  const columns = modes.filter((mode) => breakdownOf(mode));
  if (columns.length === 0) return [];
  return modeColumnsTable(
    "Where a job's time goes (median ms per phase, from the job's timestamps and the client's clock):",
    'phase',
    columns,
    Object.keys(breakdownOf(columns[0])).map((phase) => [phase, columns.map((mode) => fixed(breakdownOf(mode)[phase]))]),
  );
}

/** A captioned Markdown table with one column per mode; `rows` are `[label, cells]`. */
function modeColumnsTable(caption, firstHeading, columns, rows) {
  return [
    '',
    caption,
    '',
    `| ${firstHeading} | ${columns.map((mode) => mode.key).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...rows.map(([label, cells]) => `| ${label} | ${cells.join(' | ')} |`),
  ];
}

/**
 * CPU per completed job of each process during the throughput run, one column per mode, and
 * what the target rate would allow on this machine's CPUs.
 */
function cpuTable(modes) {
  const columns = modes.filter((mode) => mode.throughput?.cpu);
  if (columns.length === 0) return [];
  const unavailable = columns.find((mode) => mode.throughput.cpu.unavailable);
  if (unavailable) return ['', `Where the CPU goes: not measured (${unavailable.throughput.cpu.unavailable}).`];
  // Each mode's own processes first, then what every mode shares (servers, client, the rest).
  const perMode = columns.map((mode) => mode.throughput.cpu.rows.map((row) => row.label));
  const shared = perMode.reduce((common, labels) => common.filter((label) => labels.includes(label)));
  const labels = [...new Set(perMode.flat().filter((label) => !shared.includes(label))), ...shared];
  const format = (row) => `${fixed(row.msPerJob)} (${Math.round(row.cpuShare * 100)} %)`;
  const cell = (mode, label) => {
    const row = mode.throughput.cpu.rows.find((entry) => entry.label === label);
    return row ? format(row) : '—';
  };
  const budgets = columns.map((mode) => {
    const { cpus, machine } = mode.throughput.cpu;
    const used = machine.msPerJob;
    const allowed = (cpus * 1000) / mode.minRate;
    return `- ${mode.key}: ${mode.minRate} jobs/s on ${cpus} CPUs leaves at most ${fixed(allowed)} ms of CPU per job for every process together; this run used ${fixed(used)} ms per job.`;
  });
  return [
    ...modeColumnsTable(
      'Where the CPU goes during the throughput run (CPU ms per completed job, and in brackets the share of one CPU over the run; from /proc, child processes counted with their parent):',
      'process',
      columns,
      [
        ...labels.map((label) => [label, columns.map((mode) => cell(mode, label))]),
        ['**whole machine**', columns.map((mode) => format(mode.throughput.cpu.machine))],
      ],
    ),
    '',
    ...budgets,
  ];
}
