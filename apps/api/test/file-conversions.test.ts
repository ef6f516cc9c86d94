import { definePlugin } from '@conveyor/contracts';
import { CapabilityGraph } from '@conveyor/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { jpegBytes, multipartForm } from './support/multipart.js';

const resize = {
  type: 'object',
  properties: {
    quality: { type: 'integer', minimum: 1, maximum: 100 },
    width: { type: 'integer', minimum: 1, maximum: 16383 },
    height: { type: 'integer', minimum: 1, maximum: 16383 },
  },
};
const presets = [{ id: 'web', label: 'Web', params: { quality: 82 } }];

/** png → webp and jpeg → png by one plugin, webp → gif by another: gif is two hops from png. */
const graph = new CapabilityGraph([
  definePlugin({
    id: 'image',
    version: '1.0.0',
    capabilities: [
      { from: 'png', to: 'webp', lossy: true, options: resize, presets },
      { from: 'jpeg', to: 'png', options: resize },
    ],
    convert: async () => {},
  }),
  definePlugin({ id: 'gifs', version: '1.0.0', capabilities: [{ from: 'webp', to: 'gif', cost: 2, lossy: true }], convert: async () => {} }),
]);

/** A PNG signature and an IHDR saying `width`×`height`, then filler: all the API reads of it. */
function pngOfSize(width: number, height: number): Buffer {
  const head = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(head);
  head.write('IHDR', 12, 'latin1');
  head.writeUInt32BE(width, 16);
  head.writeUInt32BE(height, 20);
  return Buffer.concat([head, Buffer.alloc(4000, 9)]);
}

describe('GET /api/files/{org_id}/{id}/conversions', () => {
  let harness: ApiHarness;
  let owner: { orgId: string; authorization: string };

  /** Uploads `content` through POST /api/convert and waits for its file row; returns the file id. */
  async function upload(fileName: string, content: Buffer, target: string): Promise<string> {
    const form = multipartForm([
      { name: 'target_format', value: target },
      { name: 'file', fileName, content },
    ]);
    const response = await harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, authorization: owner.authorization }, payload: form.payload });
    expect(response.statusCode).toBe(202);
    const fileId: string = response.json().file_id;
    for (let tries = 0; tries < 100 && !(await harness.deps.readModels.file(owner.orgId, fileId)); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return fileId;
  }

  const get = (url: string, authorization?: string) => harness.app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    harness = await startApiHarness({ capabilities: graph });
    owner = await harness.session();
  });
  afterAll(() => harness.close());

  it('lists every reachable target with its plan, options and presets, the image’s size prefilled', async () => {
    const fileId = await upload('photo.png', pngOfSize(1280, 720), 'webp');
    const response = await get(`/api/files/${owner.orgId}/${fileId}/conversions`, owner.authorization);
    expect(response.statusCode).toBe(200);
    const prefilled = {
      type: 'object',
      properties: { quality: resize.properties.quality, width: { ...resize.properties.width, default: 1280 }, height: { ...resize.properties.height, default: 720 } },
    };
    expect(response.json()).toEqual({
      file_id: fileId,
      source_format: 'png',
      dimensions: { width: 1280, height: 720 },
      conversions: [
        { target: 'gif', hops: 2, plugins: ['image', 'gifs'], lossy: true, cost: 3, options: { type: 'object', properties: {} }, presets: [] },
        { target: 'webp', hops: 1, plugins: ['image'], lossy: true, cost: 1, options: prefilled, presets },
      ],
    });
  });

  it('gives no dimensions and no defaults when the image header does not say its size', async () => {
    // A JPEG with no frame header: detected as JPEG, but its size is not in the bytes.
    const fileId = await upload('scan.jpg', jpegBytes(3000), 'png');
    const body = (await get(`/api/files/${owner.orgId}/${fileId}/conversions`, owner.authorization)).json();
    expect(body.dimensions).toBeNull();
    expect(body.conversions.map((offer: { target: string }) => offer.target)).toEqual(['gif', 'png', 'webp']);
    const png = body.conversions.find((offer: { target: string }) => offer.target === 'png');
    expect(png).toMatchObject({ hops: 1, plugins: ['image'], lossy: false, options: resize, presets: [] });
  });

  it('answers 404 for another org’s file, whichever org the path names, and for an unknown file', async () => {
    const fileId = await upload('other.png', pngOfSize(10, 10), 'webp');
    const stranger = await harness.session();
    for (const url of [`/api/files/${owner.orgId}/${fileId}/conversions`, `/api/files/${stranger.orgId}/${fileId}/conversions`, `/api/files/${stranger.orgId}/nosuchfile/conversions`]) {
      const response = await get(url, stranger.authorization);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code, url).toBe('not_found');
    }
  });

  it('answers 401 without a session', async () => {
    const response = await get(`/api/files/${owner.orgId}/anything/conversions`);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthorized');
  });
});
