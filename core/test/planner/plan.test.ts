import { definePlugin, type PluginCapability } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { CapabilityGraph } from '../../src/planner/capability-graph.js';
import { planConversion, UnknownPresetError } from '../../src/planner/plan.js';

const plugin = (id: string, capabilities: PluginCapability[]) =>
  definePlugin({ id, version: '1.0.0', capabilities, convert: async () => undefined });

const plan = (graph: CapabilityGraph, from: string, to: string, maxHops = 3) =>
  planConversion(graph, { from, to, options: { quality: 50 }, maxHops })?.map((step) => `${step.plugin}:${step.from}>${step.to}`);

describe('planner', () => {
  it('plans a direct conversion as one step carrying the caller options', () => {
    const graph = new CapabilityGraph([plugin('image', [{ from: 'png', to: 'webp' }])]);
    expect(planConversion(graph, { from: 'png', to: 'webp', options: { quality: 50 }, maxHops: 3 })).toEqual([
      { index: 0, from: 'png', to: 'webp', plugin: 'image', options: { quality: 50 } },
    ]);
  });

  it('plans a file to its own format as one run of the cheapest tool on that format, and nothing without one', () => {
    const graph = new CapabilityGraph([
      plugin('heavy', [{ from: 'pdf', to: 'pdf', cost: 5 }]),
      plugin('pdf', [{ from: 'pdf', to: 'pdf', cost: 2 }, { from: 'pdf', to: 'png' }, { from: 'png', to: 'pdf' }]),
    ]);
    expect(planConversion(graph, { from: 'pdf', to: 'pdf', options: { delete_pages: [2] }, maxHops: 3 })).toEqual([
      { index: 0, from: 'pdf', to: 'pdf', plugin: 'pdf', options: { delete_pages: [2] } },
    ]);
    expect(plan(graph, 'png', 'png')).toBeUndefined();
  });

  it('carries preserve_metadata through every hop, since an intermediate one would lose what the caller wants kept', () => {
    const graph = new CapabilityGraph([plugin('doc', [{ from: 'pptx', to: 'pdf' }]), plugin('pdf', [{ from: 'pdf', to: 'png' }])]);
    const steps = planConversion(graph, { from: 'pptx', to: 'png', options: { page: 2, preserve_metadata: true }, maxHops: 3 })!;
    expect(steps.map((step) => step.options)).toEqual([{ preserve_metadata: true }, { page: 2, preserve_metadata: true }]);
  });

  it('applies the caller options to the final hop only', () => {
    const graph = new CapabilityGraph([plugin('doc', [{ from: 'pptx', to: 'pdf' }]), plugin('pdf', [{ from: 'pdf', to: 'png' }])]);
    const steps = planConversion(graph, { from: 'pptx', to: 'png', options: { page: 2 }, maxHops: 3 })!;
    expect(steps.map((step) => step.options)).toEqual([{}, { page: 2 }]);
  });

  it('takes the cheapest path even when it has more hops', () => {
    const graph = new CapabilityGraph([
      plugin('a', [{ from: 'x', to: 'z', cost: 5 }]),
      plugin('b', [{ from: 'x', to: 'y', cost: 1 }, { from: 'y', to: 'z', cost: 1 }]),
    ]);
    expect(plan(graph, 'x', 'z')).toEqual(['b:x>y', 'b:y>z']);
  });

  it('breaks cost ties by fewer hops, then lossless, then plugin id', () => {
    const hops = new CapabilityGraph([
      plugin('a', [{ from: 'x', to: 'y', cost: 1 }, { from: 'y', to: 'z', cost: 1 }]),
      plugin('b', [{ from: 'x', to: 'z', cost: 2 }]),
    ]);
    expect(plan(hops, 'x', 'z')).toEqual(['b:x>z']);
    const lossless = new CapabilityGraph([plugin('a', [{ from: 'x', to: 'z', lossy: true }]), plugin('b', [{ from: 'x', to: 'z', lossy: false }])]);
    expect(plan(lossless, 'x', 'z')).toEqual(['b:x>z']);
    const byId = new CapabilityGraph([plugin('zeta', [{ from: 'x', to: 'z' }]), plugin('alpha', [{ from: 'x', to: 'z' }])]);
    expect(plan(byId, 'x', 'z')).toEqual(['alpha:x>z']);
  });

  it('runs intermediate hops at their lossless or high preset, never with the caller’s options', () => {
    const graph = new CapabilityGraph([
      plugin('a', [{ from: 'x', to: 'y', presets: [{ id: 'web', label: 'Web', params: { quality: 70 } }, { id: 'high', label: 'High', params: { quality: 92 } }] }]),
      plugin('b', [{ from: 'y', to: 'z', presets: [{ id: 'lossless', label: 'Lossless', params: { lossless: true } }] }]),
      plugin('c', [{ from: 'z', to: 'w' }]),
    ]);
    const steps = planConversion(graph, { from: 'x', to: 'w', options: { quality: 10 }, maxHops: 3 })!;
    expect(steps.map((step) => step.options)).toEqual([{ quality: 92 }, { lossless: true }, { quality: 10 }]);
  });

  it('applies a preset of the final hop under the caller’s own options', () => {
    const graph = new CapabilityGraph([
      plugin('doc', [{ from: 'pptx', to: 'pdf' }]),
      plugin('pdf', [{ from: 'pdf', to: 'png', presets: [{ id: 'print', label: 'Print', params: { dpi: 300, background: 'white' } }] }]),
    ]);
    const steps = planConversion(graph, { from: 'pptx', to: 'png', options: { dpi: 150 }, preset: 'print', maxHops: 3 })!;
    expect(steps.map((step) => step.options)).toEqual([{}, { dpi: 150, background: 'white' }]);
  });

  it('refuses a preset the final hop does not offer', () => {
    const graph = new CapabilityGraph([plugin('image', [{ from: 'png', to: 'webp', presets: [{ id: 'web', label: 'Web', params: { quality: 82 } }] }])]);
    expect(() => planConversion(graph, { from: 'png', to: 'webp', options: {}, preset: 'cinema', maxHops: 3 })).toThrow(UnknownPresetError);
    expect(() => planConversion(graph, { from: 'png', to: 'webp', options: {}, preset: 'cinema', maxHops: 3 })).toThrow(/offered: web/);
  });

  it('respects the hop bound', () => {
    const chain = new CapabilityGraph([plugin('c', [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'd' }])]);
    expect(plan(chain, 'a', 'd', 3)).toEqual(['c:a>b', 'c:b>c', 'c:c>d']);
    expect(plan(chain, 'a', 'd', 2)).toBeUndefined();
  });

  it('finds no plan when the target is unreachable or equal to the source', () => {
    const graph = new CapabilityGraph([plugin('image', [{ from: 'png', to: 'webp' }])]);
    expect(plan(graph, 'webp', 'png')).toBeUndefined();
    expect(plan(graph, 'png', 'png')).toBeUndefined();
  });
});
