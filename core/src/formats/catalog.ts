import type { Format } from '@conveyor/contracts';
import type { CapabilityGraph } from '../planner/capability-graph.js';
import { compareIds } from '../planner/reachability.js';
import { knownFormatTraits } from './sniff.js';

/**
 * A format some capability names but no plugin declares: described from what format
 * detection knows of it (MIME type, extensions), else as opaque bytes named by its id.
 */
export function undeclaredFormat(id: string): Format {
  const known = knownFormatTraits(id);
  return {
    id,
    name: id,
    mime: known?.mime ?? 'application/octet-stream',
    extensions: known?.extensions ?? [id],
    category: 'other',
  };
}

/**
 * Every format the graph knows, sorted by id: those the plugins declare, and those their
 * capabilities convert from or to without declaring them.
 */
export function formatCatalog(graph: CapabilityGraph): Format[] {
  const formats = new Map(graph.formats);
  for (const edge of graph.edges()) {
    for (const id of [edge.from, edge.to]) if (!formats.has(id)) formats.set(id, undeclaredFormat(id));
  }
  return [...formats.values()].sort((a, b) => compareIds(a.id, b.id));
}

/**
 * The catalog's format named by `name`: its id, else one of its extensions (`jpg` → jpeg),
 * case-insensitively, so that clients may use either as they may in a conversion request.
 */
export function findFormat(catalog: readonly Format[], name: string): Format | undefined {
  const wanted = name.toLowerCase();
  return (
    catalog.find((format) => format.id === name) ??
    catalog.find((format) => format.id.toLowerCase() === wanted) ??
    catalog.find((format) => format.extensions.some((extension) => extension.toLowerCase() === wanted))
  );
}
