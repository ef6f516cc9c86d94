import { definePlugin, type CommandEnvelope } from '@conveyor/contracts';
import { CapabilityGraph } from '@conveyor/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, testPlugin, type ApiHarness } from './support/api-harness.js';
import { multipartForm, pngBytes, type FormPart } from './support/multipart.js';

/** A plugin that introduces a format the ingress's own table does not know. */
const pixmapPlugin = definePlugin({
  id: 'test-pixmap',
  version: '1.0.0',
  formats: [{ id: 'ppm', name: 'Portable Pixmap', mime: 'image/x-portable-pixmap', extensions: ['ppm'], category: 'image' }],
  capabilities: [{ from: 'ppm', to: 'png' }],
  convert: async () => {},
});

const pixmap = Buffer.from('P6\n2 1\n255\n\xff\x00\x00\x00\xff\x00', 'latin1');

describe('POST /api/convert with a format a plugin introduces', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ capabilities: new CapabilityGraph([pixmapPlugin, testPlugin]) });
  });
  afterAll(() => harness.close());

  async function convert(file: FormPart) {
    const { authorization } = await harness.session();
    const form = multipartForm([{ name: 'target_format', value: 'webp' }, file]);
    return harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, authorization }, payload: form.payload });
  }

  it('recognises the file by the extension the plugin declares and registers it with the declared MIME type', async () => {
    const response = await convert({ name: 'file', fileName: 'scan.ppm', content: pixmap, contentType: 'application/octet-stream' });
    expect(response.statusCode).toBe(202);
    const jobId = response.json<{ id: string }>().id;
    const commands = (await harness.commands()).filter((command) => command.correlation_id === jobId);
    const [register, request] = commands as [CommandEnvelope<any>, CommandEnvelope<any>];
    expect(register.data).toMatchObject({ format: 'ppm', mime: 'image/x-portable-pixmap', name: 'scan.ppm' });
    // Two hops: ppm → png through the introducing plugin, png → webp through another.
    expect(request.data).toMatchObject({ source_format: 'ppm', target_format: 'webp' });
  });

  it('still refuses a file named with the declared extension whose content is another format', async () => {
    const response = await convert({ name: 'file', fileName: 'scan.ppm', content: pngBytes(), contentType: 'image/x-portable-pixmap' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'invalid_file_type', message: 'the file is named as ppm but its content is png' } });
  });
});
