import { describe, expect, it } from 'vitest';
import { parseScanReply } from '../src/clamd-client.js';
import { createScanner } from '../src/index.js';
import { readScannerSettings } from '../src/settings.js';
import { fixtureFolder, scanBytes } from './helpers.js';

const folder = fixtureFolder();

describe('settings from the environment', () => {
  it('without CLAMD_SOCKET or CLAMD_HOST there is no ClamAV', () => {
    expect(readScannerSettings({})).toEqual({ ffprobe: 'ffprobe' });
    expect(readScannerSettings({ CLAMD_PORT: '3310', CLAMD_SOCKET: '  ' })).toEqual({ ffprobe: 'ffprobe' });
  });

  it('CLAMD_SOCKET wins over CLAMD_HOST', () => {
    expect(readScannerSettings({ CLAMD_SOCKET: '/run/clamav/clamd.ctl', CLAMD_HOST: 'clamav' })).toEqual({
      ffprobe: 'ffprobe',
      clamd: { target: { socketPath: '/run/clamav/clamd.ctl' }, timeoutMs: 30_000 },
    });
  });

  it('CLAMD_HOST with the default port, or CLAMD_PORT and CLAMD_TIMEOUT_MS', () => {
    expect(readScannerSettings({ CLAMD_HOST: 'clamav' }).clamd).toEqual({ target: { host: 'clamav', port: 3310 }, timeoutMs: 30_000 });
    expect(readScannerSettings({ CLAMD_HOST: 'clamav', CLAMD_PORT: '3311', CLAMD_TIMEOUT_MS: '5000', FFPROBE_PATH: '/opt/ffprobe' })).toEqual({
      ffprobe: '/opt/ffprobe',
      clamd: { target: { host: 'clamav', port: 3311 }, timeoutMs: 5000 },
    });
  });

  it.each([
    [{ CLAMD_HOST: 'clamav', CLAMD_PORT: 'http' }, /CLAMD_PORT must be an integer from 1 to 65535, got "http"/],
    [{ CLAMD_HOST: 'clamav', CLAMD_PORT: '70000' }, /CLAMD_PORT/],
    [{ CLAMD_SOCKET: '/s', CLAMD_TIMEOUT_MS: '-1' }, /CLAMD_TIMEOUT_MS must be an integer/],
  ])('a bad value is a problem the probe reports and every scan fails with: %o', async (env, problem) => {
    expect(readScannerSettings(env).problem).toMatch(problem);
    const scanner = createScanner(env);
    expect(await scanner.probe!()).toEqual({ ok: false, reason: expect.stringMatching(problem) });
    await expect(scanBytes(folder, Buffer.from('x'), 'txt', 'x.txt', { scanner })).rejects.toMatchObject({ code: 'scanner_unavailable' });
  });

  it('without ClamAV the probe is ok (the libraries load)', async () => {
    expect(await createScanner({}).probe!()).toEqual({ ok: true });
  });

  it('the scanner identifies itself', () => {
    expect(createScanner({})).toMatchObject({ id: 'scanner', version: '0.1.0' });
  });
});

describe("clamd's replies", () => {
  it.each([
    ['stream: OK', { kind: 'ok' }],
    ['stream: Win.Test.EICAR_HDB-1 FOUND', { kind: 'found', name: 'Win.Test.EICAR_HDB-1' }],
    ['stream: Some Name With Spaces FOUND', { kind: 'found', name: 'Some Name With Spaces' }],
    ['INSTREAM size limit exceeded. ERROR', { kind: 'size-limit' }],
    ['stream: Can\'t allocate memory ERROR', { kind: 'error', message: "stream: Can't allocate memory" }],
    ['UNKNOWN COMMAND', { kind: 'error', message: 'UNKNOWN COMMAND' }],
  ])('%s', (reply, verdict) => {
    expect(parseScanReply(reply)).toEqual(verdict);
  });
});
