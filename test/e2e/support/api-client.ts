import { expect } from 'vitest';

/** A thin client for the native API, as a user's program would call it. */
export class ApiClient {
  private token = '';
  orgId = '';

  constructor(readonly baseUrl: string) {}

  async startSession(): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/anon/session`, { method: 'POST' });
    expect(response.status).toBe(200);
    this.token = ((await response.json()) as { token: string }).token;
  }

  get authorization(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  async convert(file: Uint8Array, name: string, targetFormat: string, options?: Record<string, unknown>): Promise<Response> {
    const form = new FormData();
    form.set('target_format', targetFormat);
    if (options) form.set('options', JSON.stringify(options));
    form.set('file', new Blob([new Uint8Array(file)]), name); // a copy typed over a plain ArrayBuffer, as BlobPart wants
    return fetch(`${this.baseUrl}/api/convert`, { method: 'POST', headers: this.authorization, body: form });
  }

  /** Posts a multipart form of `files` (each under `field`) and text `fields` to `path`. */
  async postFiles(path: string, files: Array<{ field: string; name: string; bytes: Uint8Array }>, fields: Record<string, string> = {}): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    for (const file of files) form.append(file.field, new Blob([new Uint8Array(file.bytes)]), file.name);
    return fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: this.authorization, body: form });
  }

  async get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: this.authorization });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Polls a job until it reaches a terminal status. */
  async waitForJob(orgId: string, jobId: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status, body } = await this.get(`/api/conversion-jobs/${orgId}/${jobId}`);
      expect(status).toBe(200);
      if (['completed', 'failed', 'cancelled'].includes(body.status as string)) return body;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${String(body.status)} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async download(orgId: string, fileId: string): Promise<Response> {
    return fetch(`${this.baseUrl}/api/files/${orgId}/${fileId}/download`, { headers: this.authorization });
  }
}
