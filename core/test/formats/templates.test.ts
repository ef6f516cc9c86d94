import { definePlugin, type Format } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { makeFormatTemplate } from '../../src/formats/templates.js';
import { CapabilityGraph } from '../../src/planner/capability-graph.js';

const textFormat: Format = { id: 'txt', name: 'Text', mime: 'text/plain', extensions: ['txt'], category: 'document' };

const templatePlugin = (id: string, makes: Record<string, string>, formats: Format[] = []) =>
  definePlugin({
    id,
    version: '1.0.0',
    formats,
    capabilities: [],
    convert: async () => undefined,
    template: async (format) => (format in makes ? Buffer.from(makes[format]!) : undefined),
  });

describe('makeFormatTemplate', () => {
  it('asks the plugin that declares the format before the others', async () => {
    const graph = new CapabilityGraph([templatePlugin('guest', { txt: 'guest text' }), templatePlugin('owner', { txt: 'owner text' }, [textFormat])]);
    expect(Buffer.from((await makeFormatTemplate(graph, 'txt'))!).toString()).toBe('owner text');
  });

  it('falls back to any plugin that makes one', async () => {
    const graph = new CapabilityGraph([
      definePlugin({ id: 'plain', version: '1.0.0', capabilities: [], convert: async () => undefined }),
      templatePlugin('owner', {}, [textFormat]),
      templatePlugin('guest', { txt: 'guest text' }),
    ]);
    expect(Buffer.from((await makeFormatTemplate(graph, 'txt'))!).toString()).toBe('guest text');
  });

  it('gives nothing when no plugin makes one', async () => {
    const graph = new CapabilityGraph([templatePlugin('owner', { txt: 'text' }, [textFormat])]);
    expect(await makeFormatTemplate(graph, 'png')).toBeUndefined();
  });
});
