import { describe, expect, it } from 'vitest';
import { createScanner } from '../src/index.js';
import { bmp, heicHeader, icoWithPng, mediaFile, pdfWithPages, pictureOf } from './fixtures.js';
import { fixtureFolder, run, scanBytes, writeFixture, type LogEntry } from './helpers.js';
import { probeMedia } from '../src/media-probe.js';

const folder = fixtureFolder();

function rejectedFor(pattern: RegExp) {
  return { verdict: 'rejected', engine: 'builtin', reason: expect.stringMatching(pattern) };
}

describe('byte limit', () => {
  it('a file larger than maxBytes is rejected; one at the limit is not', async () => {
    const bytes = Buffer.alloc(1000, 0x41);
    expect(await scanBytes(folder, bytes, 'txt', 'a.txt', { limits: { maxBytes: 999 } })).toEqual(rejectedFor(/file is 1000 bytes, more than the allowed 999/));
    expect(await scanBytes(folder, bytes, 'txt', 'a.txt', { limits: { maxBytes: 1000 } })).toMatchObject({ verdict: 'clean' });
  });
});

describe('pixel limit, from the header alone', () => {
  it.each(['png', 'jpeg', 'gif', 'webp', 'tiff', 'avif'] as const)('a %s of 200×100 against 19999 and 20000 pixels', async (format) => {
    const picture = await pictureOf(format, 200, 100);
    expect(await scanBytes(folder, picture, format, `a.${format === 'jpeg' ? 'jpg' : format}`, { limits: { maxPixels: 19_999 } })).toEqual(
      rejectedFor(/image is 200×100 \(20000 pixels\), more than the allowed 19999/),
    );
    expect(await scanBytes(folder, picture, format, `a.${format === 'jpeg' ? 'jpg' : format}`, { limits: { maxPixels: 20_000 } })).toMatchObject({ verdict: 'clean' });
  });

  it('a BMP whose header claims 30000×30000 (a few bytes of file) is rejected', async () => {
    expect(await scanBytes(folder, bmp(2, 2, { width: 30_000, height: -30_000 }), 'bmp', 'a.bmp')).toEqual(rejectedFor(/30000×30000/));
  });

  it("an icon's PNG entry is measured by the PNG's own header", async () => {
    const ico = icoWithPng(await pictureOf('png', 400, 300));
    expect(await scanBytes(folder, ico, 'ico', 'a.ico', { limits: { maxPixels: 256 * 256 } })).toEqual(rejectedFor(/400×300/));
  });

  it('a HEIC whose ispe declares 100000×100000 is rejected', async () => {
    expect(await scanBytes(folder, heicHeader(100_000, 100_000), 'heic', 'a.heic')).toEqual(rejectedFor(/100000×100000/));
    expect(await scanBytes(folder, heicHeader(100_000, 100_000), 'heif', 'a.heif')).toEqual(rejectedFor(/100000×100000/));
  });

  it('an image whose header cannot be read is rejected', async () => {
    const png = await pictureOf('png');
    expect(await scanBytes(folder, png.subarray(0, 20), 'png', 'cut.png')).toEqual(rejectedFor(/png image's header cannot be read/));
    expect(await scanBytes(folder, heicHeader(10, 10).subarray(0, 40), 'heic', 'cut.heic')).toEqual(rejectedFor(/heic image's header cannot be read/));
  });
});

describe('page limit', () => {
  it('a PDF with more pages than maxPages is rejected', async () => {
    const pdf = pdfWithPages(5);
    expect(await scanBytes(folder, pdf, 'pdf', 'a.pdf', { limits: { maxPages: 4 } })).toEqual(rejectedFor(/PDF has 5 pages, more than the allowed 4/));
    expect(await scanBytes(folder, pdf, 'pdf', 'a.pdf', { limits: { maxPages: 5 } })).toMatchObject({ verdict: 'clean' });
  });

  it('a file that only starts like a PDF is rejected as unreadable', async () => {
    expect(await scanBytes(folder, Buffer.from('%PDF-1.7\nnothing else here\n'), 'pdf', 'a.pdf')).toEqual(rejectedFor(/PDF cannot be read|PDF has 0 pages/));
  });
});

describe('duration limit', () => {
  it.each(['wav', 'mp3', 'ogg', 'mp4'])('a 3-second %s against 2 and 4 seconds', async (format) => {
    const media = await mediaFile(folder, format, 3);
    expect(await scanBytes(folder, media, format, `a.${format}`, { limits: { maxDurationSeconds: 2 } })).toEqual(rejectedFor(/lasts 3\.\d s, longer than the allowed 2 s/));
    expect(await scanBytes(folder, media, format, `a.${format}`, { limits: { maxDurationSeconds: 4 } })).toMatchObject({ verdict: 'clean' });
  });

  it("a video's frame size counts against maxPixels", async () => {
    const video = await mediaFile(folder, 'webm', 1);
    expect(await scanBytes(folder, video, 'webm', 'a.webm', { limits: { maxPixels: 160 * 120 - 1 } })).toEqual(rejectedFor(/frames are 19200 pixels/));
  });

  it('ffprobe reads with the demuxer forced: a playlist named .wav is not followed to the file it names', async () => {
    const wavPath = writeFixture(folder, 'real.wav', await mediaFile(folder, 'wav', 1));
    const playlist = writeFixture(folder, 'list.wav', Buffer.from(`ffconcat version 1.0\nfile '${wavPath}'\n`));
    const signal = new AbortController().signal;
    expect(await probeMedia('ffprobe', playlist, 'wav', signal, 10_000)).toMatchObject({ ok: false });
    expect(await probeMedia('ffprobe', wavPath, 'wav', signal, 10_000)).toMatchObject({ ok: true, facts: { durationSeconds: 1 } });
  });

  it('an unreadable recording is rejected with ffprobe\'s reason, without the server path', async () => {
    const broken = Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(64, 0xee)]);
    const verdict = await scanBytes(folder, broken, 'flac', 'a.flac');
    expect(verdict).toEqual(rejectedFor(/^the flac file cannot be read: /));
    expect(verdict.reason).not.toContain(folder);
  });

  it('without ffprobe the duration check is skipped, and the log says so', async () => {
    const logs: LogEntry[] = [];
    const scanner = createScanner({ FFPROBE_PATH: '/nonexistent/ffprobe' });
    const media = await mediaFile(folder, 'wav', 3);
    expect(await scanBytes(folder, media, 'wav', 'a.wav', { scanner, logs, limits: { maxDurationSeconds: 1 } })).toEqual({ verdict: 'clean', engine: 'builtin', reason: '' });
    expect(logs).toContainEqual({ level: 'warn', message: expect.stringMatching(/ffprobe .* is not installed: the duration limit of this wav file was not checked/) });
  });

  it('ffprobe is installed here (the duration tests above depend on it)', async () => {
    expect((await run('ffprobe', ['-version'])).toString()).toMatch(/ffprobe version/);
  });
});
