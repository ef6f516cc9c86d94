// A synthetic capability graph for the planner benchmark: the same graph on every run.
import { seededRandom } from '../seeded-random.mjs';

const pick = (random, count) => Math.floor(random() * count);

/**
 * Plugin definitions offering `edgeCount` distinct conversions between `formatCount` formats,
 * spread over `pluginCount` plugins, with costs 1–5 and about a third of them lossy.
 */
export function syntheticPlugins({ formatCount, edgeCount, pluginCount, seed }) {
  const random = seededRandom(seed);
  const formats = Array.from({ length: formatCount }, (_, index) => `f${index}`);
  const plugins = Array.from({ length: pluginCount }, (_, index) => ({
    id: `plugin-${String(index).padStart(2, '0')}`,
    version: '1.0.0',
    capabilities: [],
    convert: async () => {},
  }));
  const pairs = new Set();
  while (pairs.size < edgeCount) {
    const from = pick(random, formatCount);
    const to = pick(random, formatCount);
    const key = `${from}>${to}`;
    if (from === to || pairs.has(key)) continue;
    pairs.add(key);
    plugins[pick(random, pluginCount)].capabilities.push({
      from: formats[from],
      to: formats[to],
      cost: 1 + pick(random, 5),
      lossy: random() < 1 / 3,
    });
  }
  return { formats, plugins };
}

/** `count` random source/target pairs of distinct formats. */
export function randomPairs(formats, count, seed) {
  const random = seededRandom(seed);
  const pairs = [];
  while (pairs.length < count) {
    const from = formats[pick(random, formats.length)];
    const to = formats[pick(random, formats.length)];
    if (from !== to) pairs.push({ from, to });
  }
  return pairs;
}
