import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanWithClamd } from '../src/clamd-client.js';
import { ScannedFile, streamChunkBytes } from '../src/file-reader.js';
import { createScanner } from '../src/index.js';
import { clamdBinary, startClamd, streamMaxLength, testPattern, testPatternSignature, type RunningClamd } from './clamd-daemon.js';
import { eicar, pictureOf } from './fixtures.js';
import { fixtureFolder, scanBytes, writeFixture } from './helpers.js';

const folder = fixtureFolder();
let clamd: RunningClamd;

beforeAll(async () => {
  clamd = await startClamd();
}, 90_000);
afterAll(async () => {
  await clamd?.stop();
});

const overSocket = () => createScanner({ CLAMD_SOCKET: clamd.socketPath });
const overTcp = () => createScanner({ CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String(clamd.tcpPort) });

describe(`ClamAV through a real clamd (${clamdBinary})`, () => {
  it('the probe pings clamd over the unix socket and over TCP', async () => {
    expect(await overSocket().probe!()).toEqual({ ok: true });
    expect(await overTcp().probe!()).toEqual({ ok: true });
  });

  it.each([
    ['unix socket', overSocket],
    ['TCP', overTcp],
  ])('over the %s, a pattern only ClamAV knows is reported by clamav', async (_, scanner) => {
    const text = Buffer.from(`an ordinary line\n${testPattern}\nanother line\n`);
    expect(await scanBytes(folder, text, 'txt', 'notes.txt', { scanner: scanner() })).toEqual({
      verdict: 'infected',
      engine: 'clamav',
      reason: expect.stringContaining(testPatternSignature),
    });
  });

  it('the pattern is found where it straddles two INSTREAM chunks', async () => {
    const bytes = Buffer.alloc(streamChunkBytes + 4096, 0x20);
    bytes.write(testPattern, streamChunkBytes - 10, 'latin1');
    expect(await scanBytes(folder, bytes, 'txt', 'big.txt', { scanner: overSocket() })).toMatchObject({ verdict: 'infected', engine: 'clamav' });
  });

  it('a clean file is clean, and the engine says both looked', async () => {
    expect(await scanBytes(folder, await pictureOf('png'), 'png', 'a.png', { scanner: overSocket() })).toEqual({ verdict: 'clean', engine: 'builtin+clamav', reason: '' });
    expect(await scanBytes(folder, Buffer.from('a,b\n1,2\n'), 'csv', 'a.csv', { scanner: overTcp() })).toEqual({ verdict: 'clean', engine: 'builtin+clamav', reason: '' });
  });

  it('EICAR is stopped by the built-in check first; clamd itself knows it too (test.hdb)', async () => {
    expect(await scanBytes(folder, eicar, 'txt', 'eicar.txt', { scanner: overSocket() })).toEqual({ verdict: 'infected', engine: 'builtin', reason: 'EICAR test signature' });
    const file = await ScannedFile.open(writeFixture(folder, 'eicar.com', eicar));
    try {
      expect(await scanWithClamd({ target: { socketPath: clamd.socketPath }, timeoutMs: 10_000 }, file, new AbortController().signal)).toEqual({ kind: 'found', name: 'Eicar-Test-Signature.UNOFFICIAL' });
    } finally {
      await file.close();
    }
  });

  it("a file past clamd's StreamMaxLength is rejected, not called clean", async () => {
    const bytes = Buffer.alloc(streamMaxLength + 2 * streamChunkBytes, 0x20);
    expect(await scanBytes(folder, bytes, 'txt', 'huge.txt', { scanner: overSocket() })).toEqual({
      verdict: 'rejected',
      engine: 'clamav',
      reason: expect.stringContaining('INSTREAM size limit exceeded'),
    });
  });
});
