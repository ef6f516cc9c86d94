import { definePlugin, type Format } from '@conveyor/contracts';
import { CapabilityGraph } from '@conveyor/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';

const shout: Format = { id: 'shout', name: 'Shouted text', mime: 'text/x-shout', extensions: ['shout', 'yell'], category: 'other' };
const png: Format = { id: 'png', name: 'PNG', mime: 'image/png', extensions: ['png'], category: 'image' };
const quality = { type: 'object', properties: { quality: { type: 'integer', minimum: 1, maximum: 100 }, extra: { nested: [1, { deep: true }] } } };
const presets = [{ id: 'web', label: 'Web', params: { quality: 82, nested: { keep: 'me' } } }];

/** docx → pdf → png → webp, and txt → shout from a plugin that declares its format and makes templates of it. */
const graph = new CapabilityGraph([
  definePlugin({ id: 'doc', version: '1.0.0', capabilities: [{ from: 'docx', to: 'pdf', cost: 2 }], convert: async () => {} }),
  definePlugin({ id: 'pdf', version: '1.0.0', capabilities: [{ from: 'pdf', to: 'png' }], convert: async () => {} }),
  definePlugin({
    id: 'image',
    version: '1.0.0',
    formats: [png],
    capabilities: [{ from: 'png', to: 'webp', lossy: true, options: quality, presets }],
    convert: async () => {},
  }),
  definePlugin({
    id: 'shouter',
    version: '1.0.0',
    formats: [shout],
    capabilities: [{ from: 'txt', to: 'shout' }],
    convert: async () => {},
    template: async (format) => (format === 'shout' ? Buffer.from('HELLO!') : undefined),
  }),
]);

describe('format catalog routes', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false, capabilities: graph });
  });
  afterAll(() => harness.close());

  // No Authorization header anywhere: these are reference routes.
  const get = (url: string) => harness.app.inject({ method: 'GET', url });

  it('GET /api/convert/formats describes the graph: formats, edges, reachability and both pair counts', async () => {
    const response = await get('/api/convert/formats');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.formats.map((format: Format) => format.id)).toEqual(['docx', 'pdf', 'png', 'shout', 'txt', 'webp']);
    expect(body.formats).toContainEqual(shout);
    expect(body.formats).toContainEqual({ id: 'docx', name: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], category: 'other' });
    // Plugin-made option schemas and preset params reach the client whole, nested parts included.
    expect(body.edges).toContainEqual({ from: 'png', to: 'webp', plugin: 'image', cost: 1, lossy: true, presets, options: quality });
    expect(body.edges).toContainEqual({ from: 'docx', to: 'pdf', plugin: 'doc', cost: 2, lossy: false, presets: [], options: { type: 'object', properties: {} } });
    expect(body.edges).toHaveLength(4);
    expect(body.reachable.docx).toEqual([{ to: 'pdf', hops: 1 }, { to: 'png', hops: 2 }, { to: 'webp', hops: 3 }]);
    expect(body.reachable.txt).toEqual([{ to: 'shout', hops: 1 }]);
    expect(body).toMatchObject({ direct_pairs: 4, reachable_pairs: 3 + 2 + 1 + 1, max_hops: 3 });
  });

  it('GET /api/formats lists every format with name, mime, extensions and category', async () => {
    const response = await get('/api/formats');
    expect(response.statusCode).toBe(200);
    const { formats } = response.json();
    expect(formats).toHaveLength(6);
    expect(formats).toContainEqual(png);
    expect(formats.every((format: Format) => Object.keys(format).sort().join() === 'category,extensions,id,mime,name')).toBe(true);
  });

  it('GET /api/formats/{fmt} says what the format converts to and from', async () => {
    const response = await get('/api/formats/png');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ...png, converts_to: ['webp'], converts_from: ['docx', 'pdf'] });
  });

  it('GET /api/formats/{fmt} also finds a format by one of its extensions, in any case', async () => {
    const response = await get('/api/formats/YELL');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: 'shout', converts_to: [], converts_from: ['txt'] });
  });

  it('GET /api/formats/{fmt} answers 404 not_found for a format nobody knows', async () => {
    const response = await get('/api/formats/blorb');
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toEqual({ code: 'not_found', message: 'format blorb not found' });
  });

  it('GET /api/formats/{fmt}/template answers the plugin’s bytes with the format’s type and a template.<ext> name', async () => {
    const response = await get('/api/formats/shout/template');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/x-shout');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="template.shout"; filename*=UTF-8''template.shout`);
    expect(response.body).toBe('HELLO!');
  });

  it('GET /api/formats/{fmt}/template answers 404 when no plugin makes one, or the format is unknown', async () => {
    for (const url of ['/api/formats/png/template', '/api/formats/blorb/template']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code, url).toBe('not_found');
    }
  });

  it('documents the routes in /openapi.json, as needing no token', async () => {
    const document = (await get('/openapi.json')).json();
    for (const path of ['/api/convert/formats', '/api/formats', '/api/formats/{fmt}', '/api/formats/{fmt}/template']) {
      expect(document.paths[path]?.get?.security, path).toEqual([]);
    }
    const graphSchema = document.paths['/api/convert/formats'].get.responses['200'].content['application/json'].schema;
    expect(graphSchema.required).toEqual(['formats', 'edges', 'reachable', 'direct_pairs', 'reachable_pairs', 'reachable_pairs_within_two_hops', 'max_hops']);
    expect(Object.keys(document.paths['/api/formats/{fmt}'].get.responses)).toEqual(['200', '404']);
  });
});
