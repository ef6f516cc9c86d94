import type { Format } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { CapabilityGraph } from '../../src/planner/capability-graph.js';
import { describeCapabilityGraph, describeFormat } from '../../src/planner/graph-description.js';
import { plugin } from './graph-fixtures.js';

const shout: Format = { id: 'shout', name: 'Shouted text', mime: 'text/x-shout', extensions: ['shout'], category: 'other' };
const quality = { type: 'object', properties: { quality: { type: 'integer' } } };
const presets = [{ id: 'web', label: 'Web', params: { quality: 82 } }];

const graph = new CapabilityGraph([
  plugin('shouter', [{ from: 'txt', to: 'shout', cost: 2 }], [shout]),
  plugin('image', [{ from: 'png', to: 'webp', lossy: true, options: quality, presets }]),
  // A second plugin for a pair already offered: a second edge, not a second pair.
  plugin('other-image', [{ from: 'png', to: 'webp', cost: 3 }, { from: 'webp', to: 'gif' }]),
]);

describe('describeCapabilityGraph', () => {
  const description = describeCapabilityGraph(graph, 3);

  it('lists each edge with its plugin, cost, lossiness, presets and option schema, sorted', () => {
    expect(description.edges).toEqual([
      { from: 'png', to: 'webp', plugin: 'image', cost: 1, lossy: true, presets, options: quality },
      { from: 'png', to: 'webp', plugin: 'other-image', cost: 3, lossy: false, presets: [], options: { type: 'object', properties: {} } },
      { from: 'txt', to: 'shout', plugin: 'shouter', cost: 2, lossy: false, presets: [], options: { type: 'object', properties: {} } },
      { from: 'webp', to: 'gif', plugin: 'other-image', cost: 1, lossy: false, presets: [], options: { type: 'object', properties: {} } },
    ]);
  });

  it('counts direct pairs once however many plugins offer them, and every reachable pair', () => {
    expect(description.direct_pairs).toBe(3); // png>webp, txt>shout, webp>gif
    expect(description.reachable_pairs).toBe(4); // the three, and png>gif in two hops
    expect(description.max_hops).toBe(3);
  });

  it('gives per source every reachable target with its hop count', () => {
    expect(description.reachable).toEqual({
      png: [{ to: 'webp', hops: 1 }, { to: 'gif', hops: 2 }],
      txt: [{ to: 'shout', hops: 1 }],
      webp: [{ to: 'gif', hops: 1 }],
    });
    expect(describeCapabilityGraph(graph, 1).reachable_pairs).toBe(3);
  });

  it('counts the pairs within two hops whatever the hop bound, and leaves tools on a format out of the pairs', () => {
    const chain = new CapabilityGraph([
      plugin('chain', [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'd' }]),
      plugin('pdf', [{ from: 'pdf', to: 'pdf' }, { from: 'pdf', to: 'txt' }]),
    ]);
    const three = describeCapabilityGraph(chain, 3);
    expect(three.direct_pairs).toBe(4); // a>b, b>c, c>d, pdf>txt: pdf>pdf is a tool, not a pair
    expect(three.reachable_pairs).toBe(7); // a>b, a>c, a>d, b>c, b>d, c>d, pdf>txt
    expect(three.reachable_pairs_within_two_hops).toBe(6); // all but a>d
    expect(describeCapabilityGraph(chain, 1).reachable_pairs_within_two_hops).toBe(6);
  });

  it('lists declared formats as declared and the others from what format detection knows, as category other', () => {
    expect(description.formats.map((format) => format.id)).toEqual(['gif', 'png', 'shout', 'txt', 'webp']);
    expect(description.formats.find((format) => format.id === 'shout')).toEqual(shout);
    expect(description.formats.find((format) => format.id === 'png')).toEqual({
      id: 'png',
      name: 'png',
      mime: 'image/png',
      extensions: ['png'],
      category: 'other',
    });
  });
});

describe('describeFormat', () => {
  const description = describeCapabilityGraph(graph, 3);
  const format = (id: string) => description.formats.find((candidate) => candidate.id === id)!;

  it('says what a format converts to and from within the hop bound', () => {
    expect(describeFormat(description, format('webp'))).toMatchObject({ id: 'webp', converts_to: ['gif'], converts_from: ['png'] });
    expect(describeFormat(description, format('gif'))).toMatchObject({ converts_to: [], converts_from: ['png', 'webp'] });
  });

  it('keeps the format fields and gives empty lists to a format that converts nowhere', () => {
    const lonely: Format = { id: 'constructor', name: 'Odd', mime: 'x/y', extensions: ['odd'], category: 'other' };
    expect(describeFormat(description, lonely)).toEqual({ ...lonely, converts_to: [], converts_from: [] });
  });
});
