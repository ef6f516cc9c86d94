import { describe, expect, it } from 'vitest';
import type { CapabilityEdge } from '../../src/planner/capability-graph.js';
import { CapabilityGraph } from '../../src/planner/capability-graph.js';
import { planRoute } from '../../src/planner/plan.js';
import { plugin } from './graph-fixtures.js';

/** A route's rank as the planner documents it: cost, then hops, then lossy hops, then plugin ids. */
const rank = (edges: readonly CapabilityEdge[]) => ({
  cost: edges.reduce((total, edge) => total + edge.cost, 0),
  hops: edges.length,
  lossyHops: edges.filter((edge) => edge.lossy).length,
  pluginKey: edges.map((edge) => `\u0000${edge.plugin}`).join(''),
});

const precedes = (a: ReturnType<typeof rank>, b: ReturnType<typeof rank>) =>
  a.cost !== b.cost ? a.cost < b.cost : a.hops !== b.hops ? a.hops < b.hops : a.lossyHops !== b.lossyHops ? a.lossyHops < b.lossyHops : a.pluginKey < b.pluginKey;

/** Every path from `from` to `to` of at most `maxHops` edges that does not pass back through `from`: the brute force. */
function bestByEnumeration(graph: CapabilityGraph, from: string, to: string, maxHops: number) {
  let best: ReturnType<typeof rank> | undefined;
  const walk = (format: string, path: CapabilityEdge[]) => {
    if (format === to && path.length > 0) {
      const candidate = rank(path);
      if (!best || precedes(candidate, best)) best = candidate;
      return;
    }
    if (path.length === maxHops) return;
    for (const edge of graph.edgesFrom(format)) if (edge.to !== from) walk(edge.to, [...path, edge]);
  };
  walk(from, []);
  return best;
}

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('planner against brute-force enumeration', () => {
  it('finds a route ranked exactly as the best of all routes, on many random small graphs', () => {
    const random = seeded(42);
    const pick = (count: number) => Math.floor(random() * count);
    let compared = 0;
    for (let trial = 0; trial < 60; trial++) {
      const formats = Array.from({ length: 7 }, (_, index) => `f${index}`);
      const capabilities = (id: string) =>
        Array.from({ length: 6 }, () => ({ from: formats[pick(7)]!, to: formats[pick(7)]!, cost: 1 + pick(3), lossy: random() < 0.4 })).filter(
          (capability) => capability.from !== capability.to,
        );
      const graph = new CapabilityGraph(['alpha', 'beta', 'gamma'].map((id) => plugin(id, capabilities(id))));
      for (const from of formats) {
        for (const to of formats) {
          if (from === to) continue;
          const maxHops = 1 + pick(4);
          const expected = bestByEnumeration(graph, from, to, maxHops);
          const found = planRoute(graph, { from, to, maxHops });
          expect(found && rank(found), `${from}>${to} within ${maxHops}`).toEqual(expected);
          if (expected) compared++;
        }
      }
    }
    // The graphs must actually have routes, or the comparison above proves nothing.
    expect(compared).toBeGreaterThan(500);
  });
});
