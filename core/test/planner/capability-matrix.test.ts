import { describe, expect, it } from 'vitest';
import { CapabilityGraph } from '../../src/planner/capability-graph.js';
import { capabilityMatrixMarkdown } from '../../src/planner/capability-matrix.js';
import { plugin } from './graph-fixtures.js';

describe('capabilityMatrixMarkdown', () => {
  it('lists each source with its direct targets and plugins, sorted, tools shown only as plugins, then the counts', () => {
    const graph = new CapabilityGraph([
      plugin('image', [{ from: 'png', to: 'webp' }, { from: 'png', to: 'jpeg' }, { from: 'webp', to: 'png' }]),
      plugin('pdf', [{ from: 'pdf', to: 'pdf' }, { from: 'png', to: 'pdf' }]),
    ]);
    expect(capabilityMatrixMarkdown(graph)).toBe(
      [
        '| From | Converts directly to | Plugins |',
        '|---|---|---|',
        '| pdf | — | pdf |',
        '| png | jpeg, pdf, webp | image, pdf |',
        '| webp | png | image |',
        '',
        '4 direct pairs; 6 source → target pairs within two hops.',
      ].join('\n'),
    );
  });
});
