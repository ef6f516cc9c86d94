import type { Format, JsonSchema, PluginPreset } from '@conveyor/contracts';
import { formatCatalog } from '../formats/catalog.js';
import type { CapabilityEdge, CapabilityGraph } from './capability-graph.js';
import { compareIds, reachabilityBySource, type ReachableTarget } from './reachability.js';

/** One direct conversion as clients see it: who does it, what it costs, what it accepts. */
export interface EdgeDescription {
  from: string;
  to: string;
  plugin: string;
  cost: number;
  lossy: boolean;
  presets: PluginPreset[];
  /** JSON Schema of the options; an empty object schema when the capability takes none. */
  options: JsonSchema;
}

/** The whole capability graph, as `GET /api/convert/formats` answers it. */
export interface CapabilityGraphDescription {
  formats: Format[];
  edges: EdgeDescription[];
  /** Per source format, every target within `max_hops`, with the fewest hops it takes. */
  reachable: Record<string, ReachableTarget[]>;
  /** Distinct (source, target) pairs one conversion joins, however many plugins offer it. */
  direct_pairs: number;
  /** Distinct (source, target) pairs a plan of at most `max_hops` conversions joins. */
  reachable_pairs: number;
  /** Distinct (source, target) pairs a plan of one or two conversions joins. */
  reachable_pairs_within_two_hops: number;
  max_hops: number;
}

/** What a capability without declared options accepts: an object, with nothing in it. */
const noOptions: JsonSchema = { type: 'object', properties: {} };

export function describeEdge(edge: CapabilityEdge): EdgeDescription {
  return {
    from: edge.from,
    to: edge.to,
    plugin: edge.plugin,
    cost: edge.cost,
    lossy: edge.lossy,
    presets: edge.capability.presets ?? [],
    options: edge.capability.options ?? noOptions,
  };
}

function compareEdges(a: CapabilityEdge, b: CapabilityEdge): number {
  return compareIds(a.from, b.from) || compareIds(a.to, b.to) || compareIds(a.plugin, b.plugin);
}

/**
 * Describes the graph for clients: its formats, its edges (sorted by source, target, plugin)
 * and what each source reaches within `maxHops`. Pure; callers may cache it per graph.
 *
 * @example describeCapabilityGraph(graph, 3).reachable.png // [{ to: 'webp', hops: 1 }, …]
 */
export function describeCapabilityGraph(graph: CapabilityGraph, maxHops: number): CapabilityGraphDescription {
  const edges = graph.edges().sort(compareEdges);
  const reachable = reachabilityBySource(graph, maxHops);
  const withinTwoHops = maxHops >= 2 ? reachable : reachabilityBySource(graph, 2);
  let reachablePairs = 0;
  let pairsWithinTwoHops = 0;
  for (const targets of reachable.values()) reachablePairs += targets.length;
  for (const targets of withinTwoHops.values()) pairsWithinTwoHops += targets.filter((target) => target.hops <= 2).length;
  // A capability from a format to itself is a tool (PDF page deletion), not a pair of formats.
  const formatPairs = edges.filter((edge) => edge.from !== edge.to).map((edge) => `${edge.from}\u0000${edge.to}`);
  return {
    formats: formatCatalog(graph),
    edges: edges.map(describeEdge),
    reachable: Object.fromEntries(reachable),
    direct_pairs: new Set(formatPairs).size,
    reachable_pairs: reachablePairs,
    reachable_pairs_within_two_hops: pairsWithinTwoHops,
    max_hops: maxHops,
  };
}

/** One format with the formats it converts to and from within `max_hops` (`GET /api/formats/{fmt}`). */
export interface FormatDescription extends Format {
  converts_to: string[];
  converts_from: string[];
}

/** `format` with what it converts to and from, read off a graph description. Both lists sorted by id. */
export function describeFormat(description: CapabilityGraphDescription, format: Format): FormatDescription {
  // hasOwn: a format may be called `constructor`, which every plain object answers to.
  const targets = Object.hasOwn(description.reachable, format.id) ? description.reachable[format.id]! : [];
  const convertsTo = targets.map((target) => target.to).sort(compareIds);
  const convertsFrom = Object.entries(description.reachable)
    .filter(([, sourceTargets]) => sourceTargets.some((target) => target.to === format.id))
    .map(([source]) => source)
    .sort(compareIds);
  return { ...format, converts_to: convertsTo, converts_from: convertsFrom };
}
