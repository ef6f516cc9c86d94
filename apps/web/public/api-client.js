// The calls the page makes to Conveyor's native API, under an anonymous session of its own.

const tokenKey = 'conveyor.session';
const terminalStatuses = new Set(['completed', 'failed', 'cancelled']);

/** An answer the API gave as `{ error: { code, message } }`, or a network failure (code `network`). */
export class ApiError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {number} status
   */
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/**
 * @typedef {{ getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void }} TokenStore
 * @typedef {{ id: string; org_id: string; name: string; format: string; size: number; status: string }} FileRecord
 * @typedef {{ id: string; org_id: string; status: string; progress_pct: number; error_code: string | null; error_message: string | null; output_file_id: string | null }} Job
 * @typedef {{ target: string; hops: number; plugins: string[]; lossy: boolean; options: Record<string, unknown>; presets: Array<{ id: string; label: string; params: Record<string, unknown> }> }} ConversionTarget
 */

/** Conveyor's API as the page uses it. Every call carries the session's token; a lapsed session is replaced once. */
export class ConveyorApi {
  /**
   * @param {string} baseUrl where the API is ('' for the page's own origin)
   * @param {TokenStore} tokens where the session token is kept between visits
   * @param {typeof fetch} fetcher
   */
  constructor(baseUrl, tokens, fetcher = globalThis.fetch.bind(globalThis)) {
    this.baseUrl = baseUrl;
    this.tokens = tokens;
    this.fetch = fetcher;
    /** @type {string | undefined} */
    this.orgId = undefined;
  }

  /** Opens the session the page works under (the stored one while it lasts) and learns its org. */
  async start() {
    /** @type {{ org_id: string }} */
    const me = await this.json('GET', '/api/auth/me');
    this.orgId = me.org_id;
    return me;
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {{ json?: unknown; body?: BodyInit; contentType?: string }} [send]
   * @returns {Promise<any>}
   */
  async json(method, path, send = {}) {
    const response = await this.call(method, path, send);
    return response.status === 204 ? undefined : response.json();
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {{ json?: unknown; body?: BodyInit; contentType?: string }} send
   * @returns {Promise<Response>}
   */
  async call(method, path, send) {
    let response = await this.attempt(method, path, send, await this.token());
    if (response.status === 401) {
      // The stored session expired or the server's secret changed: start a new one, once.
      this.tokens.removeItem(tokenKey);
      response = await this.attempt(method, path, send, await this.token());
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {{ json?: unknown; body?: BodyInit; contentType?: string }} send
   * @param {string} token
   */
  async attempt(method, path, send, token) {
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${token}` };
    let body = send.body;
    if (send.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(send.json);
    } else if (send.contentType) {
      headers['content-type'] = send.contentType;
    }
    try {
      return await this.fetch(this.baseUrl + path, { method, headers, ...(body === undefined ? {} : { body }) });
    } catch (error) {
      throw new ApiError('network', `the server could not be reached (${error instanceof Error ? error.message : String(error)})`, 0);
    }
  }

  /** The stored token, or a new anonymous session's. */
  async token() {
    const stored = this.tokens.getItem(tokenKey);
    if (stored) return stored;
    const response = await this.fetch(`${this.baseUrl}/api/anon/session`, { method: 'POST' }).catch((error) => {
      throw new ApiError('network', `the server could not be reached (${error instanceof Error ? error.message : String(error)})`, 0);
    });
    if (!response.ok) throw await errorOf(response);
    /** @type {{ token: string }} */
    const session = await response.json();
    this.tokens.setItem(tokenKey, session.token);
    return session.token;
  }

  /**
   * A resource's field schema, list columns and actions.
   * @param {string} resource
   */
  meta(resource) {
    return this.json('GET', `/api/_meta/${encodeURIComponent(resource)}`);
  }

  /**
   * The newest records of a resource, a page of them.
   * @param {string} path the resource's base path, from `/api/_meta`
   * @param {number} limit
   * @returns {Promise<{ items: Array<Record<string, unknown>> }>}
   */
  list(path, limit) {
    return this.json('GET', `${path}?limit=${limit}`);
  }

  /**
   * Uploads a file in two calls: announce it, then stream its bytes.
   * @param {Blob} file
   * @param {string} name
   * @returns {Promise<FileRecord>}
   */
  async upload(file, name) {
    /** @type {{ upload_url: string }} */
    const upload = await this.json('POST', '/api/uploads/init', { json: { name, size: file.size, ...(file.type ? { content_type: file.type } : {}) } });
    return this.json('PUT', upload.upload_url, { body: file, contentType: file.type || 'application/octet-stream' });
  }

  /**
   * What a stored file can become: per target, its plan and the final step's options.
   * @param {FileRecord} file
   * @returns {Promise<{ conversions: ConversionTarget[] }>}
   */
  conversions(file) {
    return this.json('GET', `/api/files/${encodeURIComponent(file.org_id)}/${encodeURIComponent(file.id)}/conversions`);
  }

  /**
   * Asks for a stored file's conversion.
   * @param {FileRecord} file
   * @param {string} target
   * @param {Record<string, unknown>} options
   * @returns {Promise<Job>}
   */
  convert(file, target, options) {
    return this.json('POST', '/api/conversion-jobs', { json: { file_id: file.id, target_format: target, options } });
  }

  /**
   * Follows a job with long polls until it ends, telling `onChange` each state it sees.
   * @param {Job} job
   * @param {(job: Job) => void} onChange
   * @returns {Promise<Job>}
   */
  async follow(job, onChange) {
    let current = job;
    onChange(current);
    while (!terminalStatuses.has(current.status)) {
      current = await this.json('GET', `/api/conversion-jobs/${encodeURIComponent(current.org_id)}/${encodeURIComponent(current.id)}?wait=5`);
      onChange(current);
    }
    return current;
  }

  /**
   * A link that downloads the file without the session's header, for an `<a href>`.
   * @param {string} orgId
   * @param {string} fileId
   * @returns {Promise<string>}
   */
  async downloadLink(orgId, fileId) {
    /** @type {{ url: string }} */
    const link = await this.json('POST', `/api/files/${encodeURIComponent(orgId)}/${encodeURIComponent(fileId)}/download-link`, { json: {} });
    return this.baseUrl + link.url;
  }
}

/** @param {Response} response */
async function errorOf(response) {
  /** @type {{ error?: { code?: string; message?: string } } | undefined} */
  const body = await response.json().catch(() => undefined);
  return new ApiError(body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? response.statusText, response.status);
}
