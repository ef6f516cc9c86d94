import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { pngBytes } from '../support/multipart.js';

/** A PUT written by hand over a socket, so that a test decides when (and whether) the body ends. */
class RawPut {
  private readonly socket: Socket;
  private received = '';
  private readonly connected: Promise<void>;

  constructor(port: number, path: string, headers: Record<string, string | number>) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => (this.received += chunk.toString('latin1')));
    this.socket.on('error', () => undefined);
    this.connected = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    const head = [`PUT ${path} HTTP/1.1`, 'host: 127.0.0.1', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
    this.socket.write(head);
  }

  async send(bytes: Buffer): Promise<void> {
    await this.connected;
    await new Promise<void>((resolve, reject) => this.socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  /** One chunk of a chunked body. */
  sendChunk(bytes: Buffer): Promise<void> {
    return this.send(Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]));
  }

  /** The status code of the answer, once its status line has arrived; rejects after `timeoutMs`. */
  async status(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!/^HTTP\/1\.1 \d{3}/.test(this.received)) {
      if (Date.now() > deadline) throw new Error(`no answer within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return Number(this.received.slice(9, 12));
  }

  /** Hangs up without ending the body, as a client that crashes or loses its network does. */
  hangUp(): void {
    this.socket.destroy();
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The upload pipeline as a real client meets it: over a listening socket, with bodies that stop short or run long. */
describe('upload pipeline over a real HTTP connection', () => {
  const maxUploadBytes = 64 * 1024;
  let harness: ApiHarness;
  let baseUrl: string;
  let port: number;
  let caller: { authorization: string; orgId: string };
  beforeAll(async () => {
    harness = await startApiHarness({ maxUploadBytes });
    baseUrl = await harness.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(baseUrl).port);
    caller = await harness.session();
  });
  afterAll(() => harness.close());

  async function init(): Promise<{ file_id: string; upload_url: string }> {
    const response = await fetch(`${baseUrl}/api/uploads/init`, {
      method: 'POST',
      headers: { authorization: caller.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'photo.png' }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { file_id: string; upload_url: string };
  }

  const stagedWrites = async () => (await harness.storedBlobs()).filter((path) => path.startsWith('.incoming/'));
  const uploadBlobs = async (fileId: string) => (await harness.storedBlobs()).filter((path) => path.includes(fileId));

  it('takes the bytes as fetch sends them and answers the ready file', async () => {
    const { upload_url, file_id } = await init();
    const response = await fetch(`${baseUrl}${upload_url}`, { method: 'PUT', headers: { authorization: caller.authorization }, body: pngBytes(20_000) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: file_id, size: 20_000, status: 'ready' });
    expect(await uploadBlobs(file_id)).toHaveLength(1);
  });

  it('answers 413 as soon as a chunked body crosses the limit, while the client is still sending, keeping nothing', async () => {
    const { upload_url, file_id } = await init();
    const put = new RawPut(port, upload_url, { authorization: caller.authorization, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
    const content = pngBytes(maxUploadBytes + 32 * 1024);
    for (let offset = 0; offset < content.length; offset += 16 * 1024) await put.sendChunk(content.subarray(offset, offset + 16 * 1024));
    // The body never ends: only an answer given mid-stream can arrive.
    expect(await put.status(5000)).toBe(413);
    put.hangUp();
    expect(await eventually(async () => (await stagedWrites()).length === 0)).toBe(true);
    expect(await uploadBlobs(file_id)).toEqual([]);
  });

  it('answers 413 before reading a byte when the declared length is over the limit', async () => {
    const { upload_url } = await init();
    const put = new RawPut(port, upload_url, { authorization: caller.authorization, 'content-type': 'application/octet-stream', 'content-length': maxUploadBytes * 64 });
    expect(await put.status(5000)).toBe(413);
    put.hangUp();
  });

  it('keeps neither a blob nor a ready file when the client hangs up mid-upload, and takes a retry', async () => {
    const { upload_url, file_id } = await init();
    const put = new RawPut(port, upload_url, { authorization: caller.authorization, 'content-type': 'application/octet-stream', 'content-length': 40_000 });
    await put.send(pngBytes(40_000).subarray(0, 16_000));
    // Hang up only once the store is writing, so that it is the write in progress that must be undone.
    expect(await eventually(async () => (await stagedWrites()).length > 0)).toBe(true);
    put.hangUp();

    expect(await eventually(async () => (await stagedWrites()).length === 0)).toBe(true);
    expect(await uploadBlobs(file_id)).toEqual([]);
    expect(await harness.deps.readModels.upload(caller.orgId, file_id)).toMatchObject({ status: 'pending' });
    const commands = await harness.commands();
    expect(commands.filter((command) => command.type === 'RegisterUpload' && command.aggregate_id === file_id)).toEqual([]);
    const file = await fetch(`${baseUrl}/api/files/${caller.orgId}/${file_id}`, { headers: { authorization: caller.authorization } });
    expect(file.status).toBe(404);

    const retry = await fetch(`${baseUrl}${upload_url}`, { method: 'PUT', headers: { authorization: caller.authorization }, body: pngBytes(40_000) });
    expect(retry.status).toBe(200);
  });

  it('stops the bytes still coming in when the upload is aborted, keeping none of them', async () => {
    const { upload_url, file_id } = await init();
    const put = new RawPut(port, upload_url, { authorization: caller.authorization, 'content-type': 'application/octet-stream', 'content-length': 40_000 });
    await put.send(pngBytes(40_000).subarray(0, 16_000));
    expect(await eventually(async () => (await stagedWrites()).length > 0)).toBe(true);

    const aborted = await fetch(`${baseUrl}/api/uploads/${file_id}/abort`, { method: 'POST', headers: { authorization: caller.authorization } });
    expect(aborted.status).toBe(204);
    expect(await put.status(5000)).toBe(404);
    put.hangUp();
    expect(await eventually(async () => (await stagedWrites()).length === 0)).toBe(true);
    expect(await uploadBlobs(file_id)).toEqual([]);
    expect(await harness.deps.readModels.upload(caller.orgId, file_id)).toBeUndefined();
  });
});
