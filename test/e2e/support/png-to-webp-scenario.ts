import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { ApiClient } from './api-client.js';

export interface ConvertedJob {
  job: Record<string, unknown>;
  file: Record<string, unknown>;
}

/** A PNG with some structure, so that the encoder has real work to do. */
export async function samplePng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      pixels[offset] = (x * 255) / width;
      pixels[offset + 1] = (y * 255) / height;
      pixels[offset + 2] = (x * y) % 256;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/**
 * Converts a PNG to WebP over HTTP as a user would, and checks every promise on the way:
 * 202 with the job, the job completes, the output file is a WebP with the source's size.
 */
export async function convertPngToWebp(client: ApiClient): Promise<ConvertedJob> {
  const png = await samplePng(321, 123);
  const response = await client.convert(png, 'gradient.png', 'webp', { quality: 80 });
  expect(response.status).toBe(202);
  const accepted = (await response.json()) as Record<string, unknown>;
  // A session's org is learnt the way any client learns it: from what it creates.
  client.orgId ||= accepted.org_id as string;
  expect(accepted).toMatchObject({ org_id: client.orgId, target_format: 'webp', options: { quality: 80 } });
  expect(['queued', 'scanning', 'processing', 'completed']).toContain(accepted.status);

  const job = await client.waitForJob(client.orgId, accepted.id as string);
  expect(job).toMatchObject({ status: 'completed', progress_pct: 100, error_code: null, attempt_count: 1 });
  expect(typeof job.output_file_id).toBe('string');
  expect(job.duration_ms).toBeGreaterThanOrEqual(0);

  const { status, body: file } = await client.get(`/api/files/${client.orgId}/${job.output_file_id as string}`);
  expect(status).toBe(200);
  expect(file).toMatchObject({ format: 'webp', mime: 'image/webp', name: 'gradient.webp', status: 'ready' });

  const download = await client.download(client.orgId, file.id as string);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('image/webp');
  const bytes = Buffer.from(await download.arrayBuffer());
  expect(bytes.length).toBe(file.size);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
  const decoded = await sharp(bytes).metadata();
  expect(decoded).toMatchObject({ format: 'webp', width: 321, height: 123 });
  return { job, file };
}

/** An upload that claims to be a PNG by name and content but cannot be decoded. */
export async function convertUndecodablePng(client: ApiClient): Promise<Record<string, unknown>> {
  // A sound header (the scanner reads it and lets the file through) over pixel data that does not inflate.
  const png = Buffer.from(await samplePng(40, 30));
  const pixelData = png.indexOf('IDAT', 0, 'latin1') + 4;
  png.fill(0xee, pixelData + 2, pixelData + 40);
  const response = await client.convert(png, 'broken.png', 'webp');
  expect(response.status).toBe(202);
  const accepted = (await response.json()) as { id: string };
  const job = await client.waitForJob(client.orgId, accepted.id);
  expect(job.status).toBe('failed');
  expect(job.error_code).toBe('invalid_input');
  expect(String(job.error_message).length).toBeGreaterThan(0);
  expect(job.output_file_id).toBeNull();
  return job;
}
