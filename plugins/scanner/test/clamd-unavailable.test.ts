import { createServer, type Server, type Socket } from 'node:net';
import { PluginError } from '@conveyor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScanner } from '../src/index.js';
import { freePort } from './clamd-daemon.js';
import { fixtureFolder, scanBytes } from './helpers.js';

const folder = fixtureFolder();

describe('clamd not answering fails the scan instead of calling the file clean', () => {
  it('a closed TCP port: the probe fails and the scan is scanner_unavailable', async () => {
    const scanner = createScanner({ CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String(await freePort()) });
    expect(await scanner.probe!()).toEqual({ ok: false, reason: expect.stringMatching(/cannot reach clamd at 127\.0\.0\.1:\d+: ECONNREFUSED/) });
    const scan = scanBytes(folder, Buffer.from('hello'), 'txt', 'a.txt', { scanner });
    await expect(scan).rejects.toBeInstanceOf(PluginError);
    await expect(scan).rejects.toMatchObject({ code: 'scanner_unavailable', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('a unix socket that does not exist', async () => {
    const scanner = createScanner({ CLAMD_SOCKET: `${folder}/no-such.sock` });
    expect(await scanner.probe!()).toMatchObject({ ok: false });
    await expect(scanBytes(folder, Buffer.from('hello'), 'txt', 'a.txt', { scanner })).rejects.toMatchObject({ code: 'scanner_unavailable' });
  });

  describe('a server that accepts and then says nothing', () => {
    let server: Server;
    let port: number;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.push(socket);
        socket.resume();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => server.close(resolve));
    });

    it('times out after CLAMD_TIMEOUT_MS', async () => {
      const scanner = createScanner({ CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String(port), CLAMD_TIMEOUT_MS: '300' });
      const started = Date.now();
      await expect(scanBytes(folder, Buffer.from('hello'), 'txt', 'a.txt', { scanner })).rejects.toMatchObject({
        code: 'scanner_unavailable',
        message: expect.stringContaining('did not answer within 300 ms'),
      });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await scanner.probe!()).toEqual({ ok: false, reason: expect.stringContaining('did not answer within 300 ms') });
    });

    it('an abort while waiting for clamd rejects with cancelled', async () => {
      const scanner = createScanner({ CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String(port), CLAMD_TIMEOUT_MS: '30000' });
      const controller = new AbortController();
      const scan = scanBytes(folder, Buffer.from('hello'), 'txt', 'a.txt', { scanner, signal: controller.signal });
      setTimeout(() => controller.abort(), 200);
      await expect(scan).rejects.toMatchObject({ name: 'PluginError', code: 'cancelled' });
    });
  });

  it('a clamd ERROR reply other than the size limit is scanner_unavailable', async () => {
    const server = createServer((socket) => {
      socket.once('data', () => socket.end('stream: Can\'t allocate memory ERROR\0'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const scanner = createScanner({ CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String((server.address() as { port: number }).port) });
      await expect(scanBytes(folder, Buffer.from('hello'), 'txt', 'a.txt', { scanner })).rejects.toMatchObject({
        code: 'scanner_unavailable',
        message: expect.stringContaining("Can't allocate memory"),
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
