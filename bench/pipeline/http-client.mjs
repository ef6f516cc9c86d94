// A minimal client for Conveyor's native HTTP surface, as the benchmark uses it.
const REQUEST_TIMEOUT_MS = 30_000;
const TERMINAL_FAILURES = new Set(['failed', 'cancelled']);
/** Each long poll's wait; short enough that a dead server is noticed between polls. */
const LONG_POLL_SECONDS = 5;

export class ConveyorClient {
  /** @param {string} baseUrl e.g. http://127.0.0.1:8080 */
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.token = undefined;
  }

  async request(method, path, { body, headers = {}, expect = [200] } = {}) {
    const response = await fetch(this.baseUrl + path, {
      method,
      body,
      headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!expect.includes(response.status)) {
      const text = await response.text().catch(() => '');
      throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return response;
  }

  /** True once `GET /api/health` answers `{status:"ok"}`; false on any error. */
  async healthy() {
    try {
      const response = await fetch(`${this.baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) return false;
      const body = await response.json();
      return body?.status === 'ok';
    } catch {
      return false;
    }
  }

  /** Mints an anonymous session and uses its token for every later request. */
  async openSession() {
    const response = await this.request('POST', '/api/anon/session', { expect: [200, 201] });
    const { token } = await response.json();
    if (typeof token !== 'string' || token === '') throw new Error('POST /api/anon/session returned no token');
    this.token = token;
    return token;
  }

  /** Uploads `bytes` and requests a conversion; resolves to the 202 job JSON. */
  async submit(bytes, { filename, mime, targetFormat, options }) {
    const form = new FormData();
    // Fields first, so the server knows what to do before the file streams in.
    form.append('target_format', targetFormat);
    form.append('options', JSON.stringify(options ?? {}));
    form.append('file', new Blob([bytes], { type: mime }), filename);
    const response = await this.request('POST', '/api/convert', { body: form, expect: [202] });
    const job = await response.json();
    if (!job?.id || !job?.org_id) throw new Error(`POST /api/convert returned no job id: ${JSON.stringify(job).slice(0, 300)}`);
    return job;
  }

  /** The job; with `waitSeconds`, answered once it settles or when that wait is over (a long poll). */
  async job(orgId, id, { waitSeconds = 0 } = {}) {
    const wait = waitSeconds > 0 ? `?wait=${waitSeconds}` : '';
    const response = await this.request('GET', `/api/conversion-jobs/${encodeURIComponent(orgId)}/${encodeURIComponent(id)}${wait}`);
    return response.json();
  }

  /**
   * Waits for the job to complete with long polls (`?wait=`): the server answers as soon as the
   * job settles, so the client neither sleeps past the completion nor loads the server with polls.
   * `assertAlive()` (optional) throws when a server process has died, so nothing waits in vain.
   * Throws when the job fails or is cancelled, or when `timeoutMs` passes.
   */
  async waitForCompletion(job, { timeoutMs = 60_000, assertAlive = () => {} } = {}) {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      assertAlive();
      const waitSeconds = Math.min(LONG_POLL_SECONDS, Math.max(0.1, (deadline - performance.now()) / 1000));
      const current = await this.job(job.org_id, job.id, { waitSeconds });
      if (current.status === 'completed') return current;
      if (TERMINAL_FAILURES.has(current.status)) {
        throw new Error(`job ${job.id} ${current.status}: ${current.error_code ?? ''} ${current.error_message ?? ''}`.trim());
      }
      if (performance.now() > deadline) throw new Error(`job ${job.id} still ${current.status} after ${timeoutMs} ms`);
    }
  }

  async download(orgId, fileId) {
    const response = await this.request('GET', `/api/files/${encodeURIComponent(orgId)}/${encodeURIComponent(fileId)}/download`);
    return Buffer.from(await response.arrayBuffer());
  }
}
