import { describe, expect, it } from 'vitest';
import { CapabilityGraph } from '../../src/planner/capability-graph.js';
import { conversionOffers, withDimensionDefaults } from '../../src/planner/conversion-offers.js';
import { plugin } from './graph-fixtures.js';

const resize = {
  type: 'object',
  properties: {
    quality: { type: 'integer', minimum: 1, maximum: 100 },
    width: { type: 'integer', minimum: 1, maximum: 16383 },
    height: { type: 'integer', minimum: 1, maximum: 16383 },
  },
};
const presets = [{ id: 'web', label: 'Web', params: { quality: 82 } }];

const graph = new CapabilityGraph([
  plugin('pdf', [{ from: 'pdf', to: 'png', options: { type: 'object', properties: { page: { type: 'integer' } } } }]),
  plugin('image', [
    { from: 'png', to: 'webp', lossy: true, options: resize, presets },
    { from: 'png', to: 'jpeg', lossy: true, cost: 5, options: resize },
    { from: 'webp', to: 'jpeg', lossy: true, options: resize, presets },
  ]),
]);

describe('conversionOffers', () => {
  it('describes each target by the plan the planner makes: its plugins, hops, lossiness and final options', () => {
    expect(conversionOffers(graph, 'pdf', 3)).toEqual([
      { target: 'jpeg', hops: 3, plugins: ['pdf', 'image', 'image'], lossy: true, cost: 3, options: resize, presets },
      { target: 'png', hops: 1, plugins: ['pdf'], lossy: false, cost: 1, options: { type: 'object', properties: { page: { type: 'integer' } } }, presets: [] },
      { target: 'webp', hops: 2, plugins: ['pdf', 'image'], lossy: true, cost: 2, options: resize, presets },
    ]);
  });

  it('prefills the source size as the width and height defaults where the final step takes them', () => {
    const offers = conversionOffers(graph, 'png', 3, { width: 640, height: 480 });
    const webp = offers.find((offer) => offer.target === 'webp')!;
    expect(webp.options).toMatchObject({ properties: { width: { default: 640, maximum: 16383 }, height: { default: 480 } } });
    expect((webp.options.properties as Record<string, object>).quality).not.toHaveProperty('default');
    // The graph's own schema is shared by every request: it must not be changed in place.
    expect(resize.properties.width).not.toHaveProperty('default');
  });

  it('offers nothing for a format no plugin converts from', () => {
    expect(conversionOffers(graph, 'jpeg', 3)).toEqual([]);
  });
});

describe('withDimensionDefaults', () => {
  it('sets no default the property’s bounds would refuse', () => {
    const prefilled = withDimensionDefaults(resize, { width: 20000, height: 300 });
    expect(prefilled).toMatchObject({ properties: { height: { default: 300 } } });
    expect((prefilled.properties as Record<string, object>).width).not.toHaveProperty('default');
  });

  it('leaves a schema without width and height as it is', () => {
    const page = { type: 'object', properties: { page: { type: 'integer' } } };
    expect(withDimensionDefaults(page, { width: 10, height: 10 })).toEqual(page);
    expect(withDimensionDefaults({ type: 'object' }, { width: 10, height: 10 })).toEqual({ type: 'object' });
  });
});
