import type { PlanStep } from '@conveyor/contracts';
import { BinaryHeap } from './binary-heap.js';
import type { CapabilityEdge, CapabilityGraph } from './capability-graph.js';

export interface RouteRequest {
  from: string;
  to: string;
  maxHops: number;
  /** Files the first hop takes together (a PDF merge); default 1. */
  inputCount?: number;
}

/** Whether `edge` can be a plan's first hop for `inputCount` files. */
function takesInputs(edge: CapabilityEdge, inputCount: number): boolean {
  return (edge.capability.maxInputs ?? 1) >= inputCount;
}

export interface PlanRequest extends RouteRequest {
  /** The caller's options; they apply to the final hop only. */
  options: Record<string, unknown>;
  /** A preset of the final hop's capability: its params, overridden by `options`. */
  preset?: string;
}

/** The requested preset is not one the final hop's capability offers. */
export class UnknownPresetError extends Error {
  constructor(
    readonly preset: string,
    readonly offered: string[],
    from: string,
    to: string,
  ) {
    super(`preset ${preset} is not offered for ${from} to ${to}` + (offered.length > 0 ? ` (offered: ${offered.join(', ')})` : ' (none offered)'));
    this.name = 'UnknownPresetError';
  }
}

interface Route {
  format: string;
  cost: number;
  hops: number;
  lossyHops: number;
  /** Plugin ids along the route, for the last, deterministic tie-break. */
  pluginKey: string;
  /** The route this one extends by `edge`: a shared tail, so extending never copies a path. */
  previous: Route | undefined;
  edge: CapabilityEdge | undefined;
}

/** Cheapest first; then fewer hops; then fewer lossy hops; then plugin ids in order. */
function better(a: Route, b: Route): boolean {
  if (a.cost !== b.cost) return a.cost < b.cost;
  if (a.hops !== b.hops) return a.hops < b.hops;
  if (a.lossyHops !== b.lossyHops) return a.lossyHops < b.lossyHops;
  return a.pluginKey < b.pluginKey;
}

function extend(route: Route, edge: CapabilityEdge): Route {
  return {
    format: edge.to,
    cost: route.cost + edge.cost,
    hops: route.hops + 1,
    lossyHops: route.lossyHops + (edge.lossy ? 1 : 0),
    pluginKey: route.pluginKey + '\u0000' + edge.plugin,
    previous: route,
    edge,
  };
}

function edgesOf(route: Route): CapabilityEdge[] {
  const edges: CapabilityEdge[] = [];
  for (let step: Route | undefined = route; step?.edge !== undefined; step = step.previous) edges.push(step.edge);
  return edges.reverse();
}

/**
 * A file converted to its own format is a tool run on it (a PDF losing pages, merged,
 * linearised): one hop along the cheapest capability from the format to itself, if any.
 */
function sameFormatTool(graph: CapabilityGraph, format: string, inputCount: number): CapabilityEdge[] | undefined {
  let cheapest: CapabilityEdge | undefined;
  for (const edge of graph.edgesFrom(format)) {
    if (edge.to !== format || !takesInputs(edge, inputCount)) continue;
    if (!cheapest || edge.cost < cheapest.cost || (edge.cost === cheapest.cost && edge.plugin < cheapest.plugin)) cheapest = edge;
  }
  return cheapest && [cheapest];
}

/**
 * The edges of the cheapest path from `from` to `to` (Dijkstra, bounded by `maxHops`,
 * deterministic ties), or undefined when there is none.
 */
export function planRoute(graph: CapabilityGraph, request: RouteRequest): CapabilityEdge[] | undefined {
  const inputCount = request.inputCount ?? 1;
  if (request.from === request.to) return sameFormatTool(graph, request.from, inputCount);
  // Labels are per (format, hops) so that the hop bound never hides a cheaper longer path:
  // `best[hops]` holds the best route known to each format in exactly that many hops.
  const best: Array<Map<string, Route>> = [];
  const labelsAt = (hops: number) => (best[hops] ??= new Map());
  const frontier = new BinaryHeap<Route>(better);
  frontier.push({ format: request.from, cost: 0, hops: 0, lossyHops: 0, pluginKey: '', previous: undefined, edge: undefined });
  for (let route = frontier.pop(); route !== undefined; route = frontier.pop()) {
    if (route.format === request.to) return edgesOf(route);
    // A label improved after this route was queued: the better one is (or was) expanded instead,
    // and every extension of this one would lose to the same extension of it.
    if (route.hops > 0 && labelsAt(route.hops).get(route.format) !== route) continue;
    if (route.hops >= request.maxHops) continue;
    for (const edge of graph.edgesFrom(route.format)) {
      if (edge.to === request.from) continue;
      if (route.hops === 0 && !takesInputs(edge, inputCount)) continue;
      const next = extend(route, edge);
      const labels = labelsAt(next.hops);
      const known = labels.get(edge.to);
      if (known && !better(next, known)) continue;
      labels.set(edge.to, next);
      frontier.push(next);
    }
  }
  return undefined;
}

/**
 * Plans a conversion as the cheapest path over the capability graph (Dijkstra, bounded by
 * `maxHops`, deterministic ties). Returns undefined when no path exists.
 *
 * Intermediate hops get no caller options: plugins use their highest-quality settings then.
 */
export function planConversion(graph: CapabilityGraph, request: PlanRequest): PlanStep[] | undefined {
  const edges = planRoute(graph, request);
  if (!edges) return undefined;
  const last = edges.length - 1;
  const finalOptions = withPreset(edges[last]!, request);
  // Metadata the caller wants kept must survive every hop, not only the last.
  const carried = request.options.preserve_metadata === true ? { preserve_metadata: true } : {};
  return edges.map((edge, index) => ({
    index,
    from: edge.from,
    to: edge.to,
    plugin: edge.plugin,
    options: index === last ? finalOptions : { ...intermediateOptions(edge), ...carried },
  }));
}

function withPreset(edge: CapabilityEdge, request: PlanRequest): Record<string, unknown> {
  if (request.preset === undefined) return request.options;
  const presets = edge.capability.presets ?? [];
  const preset = presets.find((candidate) => candidate.id === request.preset);
  if (!preset) throw new UnknownPresetError(request.preset, presets.map((candidate) => candidate.id), request.from, request.to);
  return { ...preset.params, ...request.options };
}

/** Presets an intermediate hop runs with, best first: it should lose nothing the final hop could keep. */
const intermediatePresets = ['lossless', 'high'];

/**
 * An intermediate hop gets no caller options (they are meant for the final format); it runs
 * with its capability's `lossless` preset, else its `high` one, else the plugin's defaults.
 */
function intermediateOptions(edge: CapabilityEdge): Record<string, unknown> {
  const presets = edge.capability.presets ?? [];
  for (const id of intermediatePresets) {
    const preset = presets.find((candidate) => candidate.id === id);
    if (preset) return { ...preset.params };
  }
  return {};
}
