import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** What the service answered with `{ error: { code, message } }`, or could not be reached (`unreachable`). */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface StoredFile {
  id: string;
  org_id: string;
  name: string;
  format: string;
  size: number;
}

export interface Job {
  id: string;
  org_id: string;
  status: 'queued' | 'scanning' | 'processing' | 'completed' | 'failed' | 'cancelled';
  progress_pct: number;
  error_code: string | null;
  error_message: string | null;
  output_file_id: string | null;
}

interface Preset {
  id: string;
  params: Record<string, unknown>;
}

const terminal = new Set<Job['status']>(['completed', 'failed', 'cancelled']);
/** How long each status request waits on the server for the job to change. */
const longPollSeconds = 5;

/** Conveyor's native API, as `conveyor convert` uses it. */
export class ServiceClient {
  #credentials: Record<string, string> = {};

  /** `stop` aborts every request in flight but the job's cancellation, which is made after it. */
  constructor(
    readonly baseUrl: string,
    private readonly stop: AbortSignal = new AbortController().signal,
  ) {}

  /** Uses `apiKey` when given, else opens an anonymous session. */
  async authenticate(apiKey: string | undefined): Promise<void> {
    if (apiKey) {
      this.#credentials = { 'x-api-key': apiKey };
      return;
    }
    const session = (await this.json('POST', '/api/anon/session')) as { token: string };
    this.#credentials = { authorization: `Bearer ${session.token}` };
  }

  /** Announces the upload, then streams the file's bytes, telling `onBytes` how many have gone. */
  async upload(path: string, name: string, size: number, onBytes: (sent: number) => void): Promise<StoredFile> {
    const { upload_url: uploadUrl } = (await this.json('POST', '/api/uploads/init', { name, size })) as { upload_url: string };
    let sent = 0;
    const counted = createReadStream(path).pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          sent += chunk.length;
          onBytes(sent);
          done(null, chunk);
        },
      }),
    );
    const response = await this.fetch('PUT', uploadUrl, {
      body: Readable.toWeb(counted) as ReadableStream,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      duplex: 'half',
    });
    return (await response.json()) as StoredFile;
  }

  /** A preset's params for converting `file` to `target`; refuses a preset the conversion does not offer. */
  async presetParams(file: StoredFile, target: string, presetId: string): Promise<Record<string, unknown>> {
    const { conversions } = (await this.json('GET', `/api/files/${file.org_id}/${file.id}/conversions`)) as { conversions: Array<{ target: string; presets: Preset[] }> };
    const conversion = conversions.find((candidate) => candidate.target === target);
    if (!conversion) throw new ServiceError('unsupported_conversion', `no conversion from ${file.format} to ${target} here`, 400);
    const preset = conversion.presets.find((candidate) => candidate.id === presetId);
    if (!preset) {
      const offered = conversion.presets.map((candidate) => candidate.id);
      throw new ServiceError('invalid_parameter', `${file.format} → ${target} has no preset "${presetId}"${offered.length ? `; it offers ${offered.join(', ')}` : ''}`, 400);
    }
    return preset.params;
  }

  async requestConversion(file: StoredFile, target: string, options: Record<string, unknown>): Promise<Job> {
    return (await this.json('POST', '/api/conversion-jobs', { file_id: file.id, target_format: target, options })) as Job;
  }

  /** Follows the job with long polls until it ends, telling `onChange` each state seen. */
  async follow(job: Job, onChange: (job: Job) => void): Promise<Job> {
    let current = job;
    onChange(current);
    while (!terminal.has(current.status)) {
      current = (await this.json('GET', `/api/conversion-jobs/${current.org_id}/${current.id}?wait=${longPollSeconds}`)) as Job;
      onChange(current);
    }
    return current;
  }

  async cancel(job: Job): Promise<void> {
    await this.fetch('POST', `/api/conversion-jobs/${job.org_id}/${job.id}/cancel`, { signal: AbortSignal.timeout(10_000) });
  }

  /** Streams a stored file's bytes into `destination`. */
  async download(orgId: string, fileId: string, destination: NodeJS.WritableStream): Promise<void> {
    const response = await this.fetch('GET', `/api/files/${orgId}/${fileId}/download`, {});
    if (!response.body) throw new ServiceError('empty_response', 'the download had no body', response.status);
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), destination);
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.fetch(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return response.json();
  }

  private async fetch(method: string, path: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        signal: this.stop,
        ...init,
        method,
        headers: { ...this.#credentials, ...(init.headers as Record<string, string> | undefined) },
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ServiceError('unreachable', `no Conveyor answers at ${this.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}); start one with \`npm start\`, or pass --server`, 0);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
      throw new ServiceError(body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? `${method} ${path} answered ${response.status}`, response.status);
    }
    return response;
  }
}
