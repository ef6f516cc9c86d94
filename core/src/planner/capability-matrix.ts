import type { CapabilityGraph } from './capability-graph.js';
import { describeCapabilityGraph } from './graph-description.js';
import { compareIds } from './reachability.js';

/**
 * The direct pairs of a graph as a Markdown table, one row per source format with the
 * targets one conversion reaches and the plugins that convert from it; then the counts.
 * `conveyor formats` prints it; the README carries the first-party plugins' one.
 */
export function capabilityMatrixMarkdown(graph: CapabilityGraph): string {
  const description = describeCapabilityGraph(graph, 2);
  const rows = new Map<string, { targets: Set<string>; plugins: Set<string> }>();
  for (const edge of description.edges) {
    const row = rows.get(edge.from) ?? { targets: new Set<string>(), plugins: new Set<string>() };
    if (edge.to !== edge.from) row.targets.add(edge.to);
    row.plugins.add(edge.plugin);
    rows.set(edge.from, row);
  }
  const sorted = (values: Set<string>) => [...values].sort(compareIds).join(', ');
  const lines = ['| From | Converts directly to | Plugins |', '|---|---|---|'];
  for (const source of [...rows.keys()].sort(compareIds)) {
    const row = rows.get(source)!;
    lines.push(`| ${source} | ${sorted(row.targets) || '—'} | ${sorted(row.plugins)} |`);
  }
  lines.push('', `${description.direct_pairs} direct pairs; ${description.reachable_pairs_within_two_hops} source → target pairs within two hops.`);
  return lines.join('\n');
}
