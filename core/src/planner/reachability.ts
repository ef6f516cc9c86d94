import type { CapabilityGraph } from './capability-graph.js';

export interface ReachableTarget {
  to: string;
  /** The fewest conversions that get there; the cheapest plan may take more (never over the bound). */
  hops: number;
}

/**
 * Every format `source` converts to in at most `maxHops` conversions, with the fewest hops
 * each takes (breadth-first). Sorted by hops, then format id. The source itself is left out:
 * converting a file to its own format is not a conversion the planner makes.
 *
 * @example reachableTargets(graph, 'pptx', 3) // [{ to: 'pdf', hops: 1 }, { to: 'png', hops: 2 }]
 */
export function reachableTargets(graph: CapabilityGraph, source: string, maxHops: number): ReachableTarget[] {
  const hopsTo = new Map<string, number>([[source, 0]]);
  let layer = [source];
  for (let hops = 1; hops <= maxHops && layer.length > 0; hops++) {
    const next: string[] = [];
    for (const format of layer) {
      for (const edge of graph.edgesFrom(format)) {
        if (hopsTo.has(edge.to)) continue;
        hopsTo.set(edge.to, hops);
        next.push(edge.to);
      }
    }
    layer = next;
  }
  hopsTo.delete(source);
  return [...hopsTo]
    .map(([to, hops]) => ({ to, hops }))
    .sort((a, b) => a.hops - b.hops || compareIds(a.to, b.to));
}

/** `reachableTargets` for every format that has at least one conversion, keyed by source. */
export function reachabilityBySource(graph: CapabilityGraph, maxHops: number): Map<string, ReachableTarget[]> {
  const sources = [...graph.sources()].sort(compareIds);
  return new Map(sources.map((source) => [source, reachableTargets(graph, source, maxHops)]));
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
