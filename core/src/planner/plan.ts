import type { PlanStep } from '@conveyor/contracts';
import type { CapabilityEdge, CapabilityGraph } from './capability-graph.js';

export interface PlanRequest {
  from: string;
  to: string;
  /** The caller's options; they apply to the final hop only. */
  options: Record<string, unknown>;
  maxHops: number;
}

interface Route {
  cost: number;
  hops: number;
  lossyHops: number;
  /** Plugin ids along the route, for the last, deterministic tie-break. */
  pluginKey: string;
  edges: CapabilityEdge[];
}

/** Cheapest first; then fewer hops; then fewer lossy hops; then plugin ids in order. */
function better(a: Route, b: Route): boolean {
  if (a.cost !== b.cost) return a.cost < b.cost;
  if (a.hops !== b.hops) return a.hops < b.hops;
  if (a.lossyHops !== b.lossyHops) return a.lossyHops < b.lossyHops;
  return a.pluginKey < b.pluginKey;
}

/**
 * Plans a conversion as the cheapest path over the capability graph (Dijkstra, bounded by
 * `maxHops`, deterministic ties). Returns undefined when no path exists.
 *
 * Intermediate hops get no caller options: plugins use their highest-quality settings then.
 */
export function planConversion(graph: CapabilityGraph, request: PlanRequest): PlanStep[] | undefined {
  if (request.from === request.to) return undefined;
  // Labels are per (format, hops) so that the hop bound never hides a cheaper longer path.
  const best = new Map<string, Route>();
  const frontier: Array<{ format: string; route: Route }> = [
    { format: request.from, route: { cost: 0, hops: 0, lossyHops: 0, pluginKey: '', edges: [] } },
  ];
  let found: Route | undefined;
  while (frontier.length > 0) {
    let bestIndex = 0;
    for (let i = 1; i < frontier.length; i++) if (better(frontier[i]!.route, frontier[bestIndex]!.route)) bestIndex = i;
    const { format, route } = frontier.splice(bestIndex, 1)[0]!;
    if (format === request.to) {
      found = route;
      break;
    }
    if (route.hops >= request.maxHops) continue;
    for (const edge of graph.edgesFrom(format)) {
      if (edge.to === request.from) continue;
      const next: Route = {
        cost: route.cost + edge.cost,
        hops: route.hops + 1,
        lossyHops: route.lossyHops + (edge.lossy ? 1 : 0),
        pluginKey: route.pluginKey + '\u0000' + edge.plugin,
        edges: [...route.edges, edge],
      };
      const key = `${edge.to}\u0000${next.hops}`;
      const known = best.get(key);
      if (known && !better(next, known)) continue;
      best.set(key, next);
      frontier.push({ format: edge.to, route: next });
    }
  }
  if (!found) return undefined;
  const last = found.edges.length - 1;
  return found.edges.map((edge, index) => ({
    index,
    from: edge.from,
    to: edge.to,
    plugin: edge.plugin,
    options: index === last ? request.options : {},
  }));
}
