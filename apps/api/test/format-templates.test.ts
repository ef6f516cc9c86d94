import { sniffFormat } from '@conveyor/contracts';
import { CapabilityGraph, imageDimensions } from '@conveyor/core';
import { imageFormatIds, imageFormats } from '@conveyor/plugin-image';
import imagePlugin from '@conveyor/plugin-image';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';

describe('format templates from the image plugin', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false, capabilities: new CapabilityGraph([imagePlugin]) });
  });
  afterAll(() => harness.close());

  it.each(imageFormatIds)('serves a %s template whose bytes are that format', async (format) => {
    const response = await harness.app.inject({ method: 'GET', url: `/api/formats/${format}/template` });
    expect(response.statusCode).toBe(200);
    const declared = imageFormats.find((candidate) => candidate.id === format)!;
    expect(response.headers['content-type']).toBe(declared.mime);
    expect(response.headers['content-disposition']).toContain(`filename="template.${declared.extensions[0]}"`);
    expect(sniffFormat(response.rawPayload)).toBe(format);
  });

  it('serves a PNG template whose header gives its real size', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/formats/png/template' });
    expect(imageDimensions(response.rawPayload)).toEqual({ width: 32, height: 24 });
  });

  it('lists the image plugin’s declared formats in the catalog, with their categories', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/formats' });
    expect(response.json().formats).toEqual([...imageFormats].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });
});
