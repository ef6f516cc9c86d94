import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { jpegBytes, multipartForm, pngBytes, type FormPart } from './support/multipart.js';

const maxUploadBytes = 32 * 1024;

describe('POST /api/convert rejects what it cannot accept', () => {
  let harness: ApiHarness;
  let authorization: string;
  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false, maxUploadBytes });
    ({ authorization } = await harness.session());
  });
  afterAll(() => harness.close());

  async function convert(parts: FormPart[]) {
    const form = multipartForm(parts);
    return harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, authorization }, payload: form.payload });
  }

  async function expectRejected(parts: FormPart[], status: number, code: string) {
    const response = await convert(parts);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ error: { code, message: expect.any(String) } });
    // Nothing of a rejected request stays: no blob, no command.
    expect(await harness.storedBlobs()).toEqual([]);
    expect(await harness.commands()).toEqual([]);
    return response.json<{ error: { code: string; message: string } }>().error;
  }

  const photo = (content = pngBytes(), fileName = 'photo.png'): FormPart => ({ name: 'file', fileName, content, contentType: 'image/png' });

  it('requires a file', async () => {
    const error = await expectRejected([{ name: 'target_format', value: 'webp' }], 400, 'invalid_parameter');
    expect(error.message).toMatch(/file/);
  });

  it('ignores file parts under another name and still requires `file`', async () => {
    await expectRejected([{ ...photo(), name: 'attachment' }, { name: 'target_format', value: 'webp' }], 400, 'invalid_parameter');
  });

  it('refuses a second file part rather than converting the first alone', async () => {
    const error = await expectRejected([{ name: 'target_format', value: 'webp' }, photo(), photo(pngBytes(), 'second.png')], 400, 'invalid_parameter');
    expect(error.message).toBe('send one file per request: a second file part came');
  });

  it('requires target_format', async () => {
    const error = await expectRejected([photo()], 400, 'invalid_parameter');
    expect(error.message).toMatch(/target_format/);
  });

  it('requires options to be a JSON object', async () => {
    for (const options of ['{not json', '[1,2]', '"text"', 'null']) {
      const error = await expectRejected([{ name: 'target_format', value: 'webp' }, { name: 'options', value: options }, photo()], 400, 'invalid_parameter');
      expect(error.message).toMatch(/options/);
    }
  });

  it('requires a known visibility', async () => {
    const error = await expectRejected([{ name: 'target_format', value: 'webp' }, { name: 'visibility', value: 'everyone' }, photo()], 400, 'invalid_parameter');
    expect(error.message).toMatch(/visibility/);
  });

  it('refuses a target the capability graph cannot reach, naming both formats', async () => {
    const error = await expectRejected([{ name: 'target_format', value: 'docx' }, photo()], 400, 'unsupported_conversion');
    expect(error.message).toContain('png');
    expect(error.message).toContain('docx');
  });

  it('refuses a preset the final hop does not offer, naming those it does', async () => {
    const error = await expectRejected([photo(), { name: 'target_format', value: 'webp' }, { name: 'preset', value: 'cinema' }], 400, 'invalid_parameter');
    expect(error.message).toMatch(/cinema.*web/);
  });

  it('refuses a file whose format it cannot recognise', async () => {
    const content = Buffer.from('just some bytes without a signature');
    await expectRejected([{ name: 'target_format', value: 'webp' }, photo(content, 'mystery')], 400, 'unsupported_conversion');
  });

  it('refuses a file whose name contradicts its content', async () => {
    const error = await expectRejected([{ name: 'target_format', value: 'webp' }, photo(jpegBytes(), 'photo.png')], 400, 'invalid_file_type');
    expect(error.message).toContain('jpeg');
  });

  it('refuses a file named as a binary format that has no such signature', async () => {
    await expectRejected([{ name: 'target_format', value: 'webp' }, photo(Buffer.from('a,b\n1,2\n'), 'table.png')], 400, 'invalid_file_type');
  });

  it('refuses an empty file', async () => {
    await expectRejected([{ name: 'target_format', value: 'webp' }, photo(Buffer.alloc(0))], 400, 'invalid_parameter');
  });

  it('answers 413 file_too_large over the upload limit and keeps no partial blob', async () => {
    const error = await expectRejected([{ name: 'target_format', value: 'webp' }, photo(pngBytes(maxUploadBytes * 4))], 413, 'file_too_large');
    expect(error.message).toContain(String(maxUploadBytes));
  });

  it('answers 400 invalid_parameter for a body that is not multipart', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/convert',
      headers: { authorization, 'content-type': 'application/json' },
      payload: { target_format: 'webp' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_parameter');
  });

  it('answers 400 invalid_parameter for a truncated multipart body', async () => {
    const form = multipartForm([{ name: 'target_format', value: 'webp' }, photo()]);
    const truncated = form.payload.subarray(0, form.payload.length - 40);
    const response = await harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, authorization }, payload: truncated });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_parameter');
    expect(await harness.storedBlobs()).toEqual([]);
  });
});
