import { expect } from 'vitest';
import type { ApiHarness } from '../support/api-harness.js';
import { multipartForm, pngBytes } from '../support/multipart.js';

/** A PNG whose bytes after the signature count up, so that any slice of it is recognisable. */
export function recognisablePng(size: number): Buffer {
  const head = pngBytes(16);
  return Buffer.concat([head, Buffer.from(Array.from({ length: size - head.length }, (_, index) => index % 251))]);
}

/** Uploads `content` as `name` into the caller's org; answers the file's id and hash. */
export async function storeFile(harness: ApiHarness, authorization: string, name: string, content: Buffer): Promise<{ id: string; sha256: string }> {
  const form = multipartForm([{ name: 'file', fileName: name, content, contentType: 'image/png' }]);
  const response = await harness.app.inject({ method: 'POST', url: '/api/files', headers: { ...form.headers, authorization }, payload: form.payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; sha256: string }>();
}
