import { describe, expect, it } from 'vitest';
import { CapabilityGraph } from '../../src/planner/capability-graph.js';
import { reachabilityBySource, reachableTargets } from '../../src/planner/reachability.js';
import { plugin } from './graph-fixtures.js';

const chain = new CapabilityGraph([
  plugin('doc', [{ from: 'pptx', to: 'pdf' }, { from: 'docx', to: 'pdf' }]),
  plugin('pdf', [{ from: 'pdf', to: 'png' }]),
  plugin('image', [{ from: 'png', to: 'webp' }, { from: 'png', to: 'jpeg' }, { from: 'webp', to: 'avif' }]),
]);

describe('reachableTargets', () => {
  it('lists every target within the hop bound with the fewest hops to it, nearest first', () => {
    expect(reachableTargets(chain, 'pptx', 3)).toEqual([
      { to: 'pdf', hops: 1 },
      { to: 'png', hops: 2 },
      { to: 'jpeg', hops: 3 },
      { to: 'webp', hops: 3 },
    ]);
  });

  it('leaves out what lies beyond the hop bound', () => {
    expect(reachableTargets(chain, 'pptx', 2).map((target) => target.to)).toEqual(['pdf', 'png']);
    expect(reachableTargets(chain, 'pptx', 0)).toEqual([]);
  });

  it('counts the fewest hops even when a longer route is found first', () => {
    const graph = new CapabilityGraph([plugin('p', [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'a', to: 'c', cost: 10 }])]);
    expect(reachableTargets(graph, 'a', 3)).toEqual([
      { to: 'b', hops: 1 },
      { to: 'c', hops: 1 },
    ]);
  });

  it('never lists the source itself, even on a cycle back to it', () => {
    const cycle = new CapabilityGraph([plugin('p', [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }])]);
    expect(reachableTargets(cycle, 'a', 3)).toEqual([{ to: 'b', hops: 1 }]);
  });

  it('finds nothing from a format no plugin converts from', () => {
    expect(reachableTargets(chain, 'avif', 3)).toEqual([]);
    expect(reachableTargets(chain, 'unknown', 3)).toEqual([]);
  });
});

describe('reachabilityBySource', () => {
  it('has an entry for every source with an edge, in id order', () => {
    const bySource = reachabilityBySource(chain, 3);
    expect([...bySource.keys()]).toEqual(['docx', 'pdf', 'png', 'pptx', 'webp']);
    expect(bySource.get('webp')).toEqual([{ to: 'avif', hops: 1 }]);
  });
});
