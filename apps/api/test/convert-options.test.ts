import { definePlugin } from '@conveyor/contracts';
import { CapabilityGraph } from '@conveyor/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousOwner, call, uploadPng, type Caller } from './resources/resource-client.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { multipartForm, pngBytes, type FormPart } from './support/multipart.js';

/** Keeps metadata itself, so its schema names `preserve_metadata`; refuses options it does not know. */
const imagePlugin = definePlugin({
  id: 'strict-image',
  version: '1.0.0',
  handlesMetadata: true,
  capabilities: [
    {
      from: 'png',
      to: 'webp',
      presets: [{ id: 'web', label: 'Web', params: { quality: 82 } }],
      options: {
        type: 'object',
        additionalProperties: false,
        properties: {
          quality: { type: 'integer', minimum: 1, maximum: 100, description: 'Encoder quality.' },
          fit: { enum: ['cover', 'contain'] },
          preserve_metadata: { type: 'boolean' },
        },
      },
    },
  ],
  convert: async () => {},
});

/** Leaves metadata to the host, so `preserve_metadata` is not in its schema, which is closed too. */
const tableauPlugin = definePlugin({
  id: 'strict-data',
  version: '1.0.0',
  formats: [{ id: 'csv', name: 'CSV', mime: 'text/csv', extensions: ['csv'], category: 'data' }],
  capabilities: [{ from: 'png', to: 'csv', options: { type: 'object', additionalProperties: false, properties: { delimiter: { type: 'string', maxLength: 1 } } } }],
  convert: async () => {},
});

describe('conversion options are held to the schema the conversion publishes', () => {
  let harness: ApiHarness;
  let owner: Caller;
  let fileId: string;

  beforeAll(async () => {
    harness = await startApiHarness({
      capabilities: new CapabilityGraph([imagePlugin, tableauPlugin]),
      env: { DEFAULT_PLAN: 'enterprise', PLAN_LIMITS: JSON.stringify({ enterprise: { concurrent_jobs: 50 } }) },
    });
    owner = await anonymousOwner(harness);
    fileId = await uploadPng(harness, owner);
  });
  afterAll(() => harness.close());

  async function convert(target: string, options: Record<string, unknown>, extra: FormPart[] = []) {
    const form = multipartForm([
      { name: 'target_format', value: target },
      { name: 'options', value: JSON.stringify(options) },
      ...extra,
      { name: 'file', fileName: 'photo.png', content: pngBytes(), contentType: 'image/png' },
    ]);
    return harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...owner.headers, ...form.headers }, payload: form.payload });
  }

  const refusals: Array<[string, string, Record<string, unknown>, RegExp]> = [
    ['an option below the minimum', 'webp', { quality: 0 }, /^options\.quality: must be >= 1$/],
    ['an option above the maximum', 'webp', { quality: 101 }, /^options\.quality: must be <= 100$/],
    ['an option of the wrong type', 'webp', { quality: 'high' }, /^options\.quality: must be integer$/],
    ['an option outside its enum, listing the values', 'webp', { fit: 'squash' }, /^options\.fit: .*"cover", "contain"/],
    ['an option the plugin does not know', 'webp', { qualiti: 80 }, /^options\.qualiti: not an option of png → webp conversions$/],
    ['a preserve_metadata that is not a boolean', 'csv', { preserve_metadata: 'yes' }, /^options\.preserve_metadata: must be true or false$/],
    ['an option of another conversion', 'csv', { quality: 80 }, /^options\.quality: not an option of png → csv conversions$/],
  ];

  for (const [what, target, options, message] of refusals) {
    it(`POST /api/convert refuses ${what} with 400 invalid_parameter, appending nothing`, async () => {
      const commandsBefore = (await harness.commands()).length;
      const response = await convert(target, options);
      expect(response.statusCode, response.body).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('invalid_parameter');
      expect(error.message).toMatch(message);
      expect(await harness.commands()).toHaveLength(commandsBefore);
    });
  }

  it('accepts options within the schema, and preserve_metadata for a plugin that leaves metadata to the host', async () => {
    const image = await convert('webp', { quality: 82, fit: 'contain', preserve_metadata: true });
    expect(image.statusCode, image.body).toBe(202);
    expect(image.json().options).toEqual({ quality: 82, fit: 'contain', preserve_metadata: true });
    const data = await convert('csv', { delimiter: ';', preserve_metadata: false });
    expect(data.statusCode, data.body).toBe(202);
  });

  it("holds a preset's params under the caller's options: the options override, and must still fit", async () => {
    const preset: FormPart = { name: 'preset', value: 'web' };
    expect((await convert('webp', { quality: 60 }, [preset])).statusCode).toBe(202);
    const refused = await convert('webp', { quality: 0 }, [preset]);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toBe('options.quality: must be >= 1');
  });

  it('refuses the same options when a stored file is converted through /api/conversion-jobs', async () => {
    const refused = await call(harness, owner, 'POST', '/api/conversion-jobs', { file_id: fileId, target_format: 'webp', options: { quality: 101 } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toEqual({ code: 'invalid_parameter', message: 'options.quality: must be <= 100' });
    const accepted = await call(harness, owner, 'POST', '/api/conversion-jobs', { file_id: fileId, target_format: 'webp', options: { quality: 100 } });
    expect(accepted.statusCode, accepted.body).toBe(201);
  });
});
