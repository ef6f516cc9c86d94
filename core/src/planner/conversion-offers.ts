import type { JsonSchema, PluginPreset } from '@conveyor/contracts';
import type { ImageDimensions } from '../formats/image-dimensions.js';
import type { CapabilityGraph } from './capability-graph.js';
import { describeEdge } from './graph-description.js';
import { planRoute } from './plan.js';
import { compareIds, reachableTargets } from './reachability.js';

/** One target a file can be converted to, described by the plan the planner would make. */
export interface ConversionOffer {
  target: string;
  /** Conversions in the plan (the cheapest one, which is not always the shortest). */
  hops: number;
  /** The plugin of each step, in order. */
  plugins: string[];
  /** True when any step of the plan discards information. */
  lossy: boolean;
  cost: number;
  /** JSON Schema of the options, which apply to the final step; the source's size prefilled where it fits. */
  options: JsonSchema;
  /** The final step's presets. */
  presets: PluginPreset[];
}

/**
 * Every target `source` converts to within `maxHops`, sorted by target, with the options and
 * presets a request for it accepts. Where the source's `dimensions` are known and the final
 * step takes `width`/`height`, they become those options' defaults, so a form starts at
 * the original size.
 */
export function conversionOffers(graph: CapabilityGraph, source: string, maxHops: number, dimensions?: ImageDimensions): ConversionOffer[] {
  const offers: ConversionOffer[] = [];
  for (const { to } of reachableTargets(graph, source, maxHops)) {
    const edges = planRoute(graph, { from: source, to, maxHops });
    const last = edges?.at(-1);
    if (!edges || !last) continue;
    const finalStep = describeEdge(last);
    offers.push({
      target: to,
      hops: edges.length,
      plugins: edges.map((edge) => edge.plugin),
      lossy: edges.some((edge) => edge.lossy),
      cost: edges.reduce((total, edge) => total + edge.cost, 0),
      options: dimensions ? withDimensionDefaults(finalStep.options, dimensions) : finalStep.options,
      presets: finalStep.presets,
    });
  }
  return offers.sort((a, b) => compareIds(a.target, b.target));
}

/**
 * A copy of `schema` whose `width` and `height` properties default to `dimensions`. A value
 * the property's own bounds refuse is not set: a default must be a value the schema accepts.
 */
export function withDimensionDefaults(schema: JsonSchema, dimensions: ImageDimensions): JsonSchema {
  const properties = schema.properties;
  if (!isObject(properties)) return schema;
  const prefilled: Record<string, unknown> = { ...properties };
  for (const name of ['width', 'height'] as const) {
    const property = properties[name];
    const value = dimensions[name];
    if (isObject(property) && withinBounds(property, value)) prefilled[name] = { ...property, default: value };
  }
  return { ...schema, properties: prefilled };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withinBounds(property: Record<string, unknown>, value: number): boolean {
  const { minimum, maximum } = property;
  return (typeof minimum !== 'number' || value >= minimum) && (typeof maximum !== 'number' || value <= maximum);
}
