#!/usr/bin/env node
// Conveyor planner benchmark: time per planConversion on a synthetic graph of 500 formats
// and 5,000 edges, against the built core (run `npm run build` first; `npm run bench` does).
// See bench/README.md. Takes a few seconds; needs nothing running.
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixed, median, percentile } from '../pipeline/stats.mjs';
import { randomPairs, syntheticPlugins } from './synthetic-graph.mjs';

const settings = {
  formatCount: 500,
  edgeCount: 5_000,
  pluginCount: 20,
  pairs: 2_000,
  warmupPairs: 500,
  maxHops: 3,
  graphSeed: 20_240_601,
  pairSeed: 7,
  targetMedianMs: 1,
};

// The planner's own modules, not core's index: it would load the database and NATS drivers too.
const plannerModule = (name) => new URL(`../../core/dist/planner/${name}.js`, import.meta.url);
if (!existsSync(fileURLToPath(plannerModule('plan')))) {
  console.error('core is not built: run `npm run build` (or `npm run bench`, which builds first)');
  process.exit(1);
}
const { CapabilityGraph } = await import(plannerModule('capability-graph').href);
const { planConversion } = await import(plannerModule('plan').href);
const { describeCapabilityGraph } = await import(plannerModule('graph-description').href);

const { formats, plugins } = syntheticPlugins({ ...settings, seed: settings.graphSeed });
const graph = new CapabilityGraph(plugins);
const plan = ({ from, to }) => planConversion(graph, { from, to, options: {}, maxHops: settings.maxHops });

// Warm-up on other pairs, so that the JIT has compiled the planner before it is timed.
for (const pair of randomPairs(formats, settings.warmupPairs, settings.pairSeed + 1)) plan(pair);

const timings = [];
let planned = 0;
let totalSteps = 0;
for (const pair of randomPairs(formats, settings.pairs, settings.pairSeed)) {
  const started = performance.now();
  const steps = plan(pair);
  timings.push(performance.now() - started);
  if (steps) {
    planned += 1;
    totalSteps += steps.length;
  }
}

const describeStarted = performance.now();
const description = describeCapabilityGraph(graph, settings.maxHops);
const describeMs = performance.now() - describeStarted;

const medianMs = median(timings);
const verdict = medianMs < settings.targetMedianMs ? 'PASS' : 'MISS';
const ms = (value) => `${fixed(value, 3)} ms`;
const report = [
    '## Planner',
    '',
    `${settings.formatCount} formats, ${settings.edgeCount} edges over ${settings.pluginCount} plugins (seeded), max ${settings.maxHops} hops, ` +
      `${settings.pairs} random source/target pairs after ${settings.warmupPairs} warm-up plans; Node ${process.version}.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| planConversion median | ${ms(medianMs)} |`,
    `| planConversion p95 | ${ms(percentile(timings, 95))} |`,
    `| planConversion max | ${ms(Math.max(...timings))} |`,
    `| pairs with a plan | ${planned} of ${settings.pairs} (mean ${fixed(totalSteps / Math.max(planned, 1), 2)} hops) |`,
    `| describeCapabilityGraph (GET /api/convert/formats) | ${ms(describeMs)}: ${description.direct_pairs} direct, ${description.reachable_pairs} reachable pairs |`,
    '',
    `Target: median under ${settings.targetMedianMs} ms per plan — ${verdict}`,
    '',
  ].join('\n');
console.log(report);
// Kept beside the pipeline's bench/RESULTS.md, which that run rewrites whole.
writeFileSync(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), `# Planner benchmark\n\n- date: ${new Date().toISOString()}\n\n${report}`);
