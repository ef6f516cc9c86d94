import { truncateSync } from 'node:fs';
import { PluginError } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { streamChunkBytes } from '../src/file-reader.js';
import { eicar, pictureOf } from './fixtures.js';
import { builtinScanner, contextFor, fixtureFolder, scanBytes, writeFixture } from './helpers.js';

const folder = fixtureFolder();
const infected = { verdict: 'infected', engine: 'builtin', reason: 'EICAR test signature' };

describe('the EICAR test signature', () => {
  it('is 68 bytes', () => expect(eicar.length).toBe(68));

  it('is found as a whole file', async () => {
    expect(await scanBytes(folder, eicar, 'txt', 'eicar.com.txt')).toEqual(infected);
  });

  it.each([1, 34, 67])('is found across a chunk boundary (%i bytes before it)', async (before) => {
    const bytes = Buffer.alloc(streamChunkBytes * 2 + 4096, 0x41);
    eicar.copy(bytes, streamChunkBytes - before);
    expect(await scanBytes(folder, bytes, 'txt', 'large.txt')).toEqual(infected);
  });

  it('is found at the very end of a multi-chunk file', async () => {
    const bytes = Buffer.concat([Buffer.alloc(streamChunkBytes + 100, 0x20), eicar]);
    expect(await scanBytes(folder, bytes, 'txt', 'tail.txt')).toEqual(infected);
  });

  it('is found inside a picture, which is then reported as infected rather than merely malformed', async () => {
    const png = await pictureOf('png');
    expect(await scanBytes(folder, Buffer.concat([png, eicar]), 'png', 'picture.png')).toEqual(infected);
  });

  it('is not found when one byte differs', async () => {
    const altered = Buffer.from(eicar);
    altered[40] = 0x2d;
    expect(await scanBytes(folder, altered, 'txt', 'almost.txt')).toEqual({ verdict: 'clean', engine: 'builtin', reason: '' });
  });
});

describe('cancelling', () => {
  it('an already-aborted scan rejects with a cancelled PluginError', async () => {
    const controller = new AbortController();
    controller.abort();
    const scan = scanBytes(folder, Buffer.from('hello'), 'txt', 'a.txt', { signal: controller.signal });
    await expect(scan).rejects.toBeInstanceOf(PluginError);
    await expect(scan).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('a scan aborted while it streams a large file stops between chunks', async () => {
    const path = writeFixture(folder, 'huge.txt', Buffer.alloc(0));
    truncateSync(path, 2 * 1024 * 1024 * 1024); // sparse: 2 GiB of zeros that take no disk space
    const controller = new AbortController();
    const started = Date.now();
    const scan = builtinScanner.scan(contextFor(path, 'txt', 'huge.txt', 0, { signal: controller.signal, limits: { maxBytes: 4 * 1024 * 1024 * 1024 } }));
    setTimeout(() => controller.abort(), 50);
    await expect(scan).rejects.toMatchObject({ name: 'PluginError', code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
