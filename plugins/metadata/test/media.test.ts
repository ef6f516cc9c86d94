import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataTool } from '../src/index.js';
import { ffprobeJson, makeAudio, makeMp3, makeVideo, quietLog, readReport, removeWorkDirs, rewrite, workDir } from './fixtures.js';

let dir: string;

beforeAll(async () => {
  dir = await workDir();
});
afterAll(async () => {
  await removeWorkDirs();
  await metadataTool.dispose?.();
});

/** Streams after a rewrite: same codecs and (within a frame) the same duration. */
async function expectSameStreams(before: string, after: string): Promise<void> {
  const [a, b] = await Promise.all([ffprobeJson(before), ffprobeJson(after)]);
  expect(b.streams.map((stream) => [stream.codec_type, stream.codec_name, stream.width, stream.height])).toEqual(a.streams.map((stream) => [stream.codec_type, stream.codec_name, stream.width, stream.height]));
  expect(Number(b.format.duration)).toBeCloseTo(Number(a.format.duration), 1);
}

describe('MP3 (ID3)', () => {
  let mp3: string;
  beforeAll(async () => {
    mp3 = await makeMp3(dir);
  });

  it('reads ID3 tags under ffmpeg names, streams from ffprobe, and the common fields', async () => {
    const report = await readReport(mp3, 'mp3');
    expect(report.containers).toEqual(expect.arrayContaining(['ID3', 'ffprobe']));
    expect(report.sections.ID3).toMatchObject({ title: 'First Song', artist: 'Dana Singer', album: 'Demos', date: '2021', genre: 'Pop', encoded_by: 'Eve Encoder' });
    expect(report.sections.Streams).toMatchObject({ 'stream0.codec_name': 'mp3', 'stream0.codec_type': 'audio' });
    expect(report.common.title).toBe('First Song');
    expect(report.common.author).toBe('Dana Singer');
    expect(report.common.duration).toBeGreaterThan(0.4);
    expect(report.common.duration).toBeLessThan(0.7);
    expect(report.editable.ID3).toEqual(expect.arrayContaining(['title', 'artist', 'album', 'date', 'genre', 'comment']));
  });

  it('sets and removes tags, copying the audio as it is', async () => {
    const output = await rewrite(mp3, 'mp3', { set: { ID3: { title: 'Second Song', comment: 'remastered', genre: 'Jazz' } }, remove: { ID3: ['album'] } });
    const report = await readReport(output, 'mp3');
    expect(report.sections.ID3).toMatchObject({ title: 'Second Song', comment: 'remastered', genre: 'Jazz', artist: 'Dana Singer' });
    expect(report.sections.ID3).not.toHaveProperty('album');
    const probe = await ffprobeJson(output);
    expect(probe.format.tags).toMatchObject({ title: 'Second Song' });
    await expectSameStreams(mp3, output);
  });

  it('keeps ID3v2.3 as v2.3', async () => {
    const v3 = await makeMp3(dir, 3);
    const output = await rewrite(v3, 'mp3', { set: { ID3: { title: 'Three' } } });
    const { parseFile } = await import('music-metadata');
    const parsed = await parseFile(output);
    expect(Object.keys(parsed.native)).toEqual(['ID3v2.3']);
    expect(parsed.common.title).toBe('Three');
  });

  it('anonymize removes artist, encoder and encoded_by; strip_all removes every tag', async () => {
    const anonymous = await readReport(await rewrite(mp3, 'mp3', { anonymize: true }), 'mp3');
    expect(anonymous.sections.ID3).toEqual({ title: 'First Song', album: 'Demos', date: '2021', genre: 'Pop' });
    expect(anonymous.common.author).toBeUndefined();
    expect(anonymous.common.software).toBeUndefined();
    const stripped = await readReport(await rewrite(mp3, 'mp3', { strip_all: true }), 'mp3');
    expect(stripped.sections).not.toHaveProperty('ID3');
    expect(stripped.common.duration).toBeGreaterThan(0.4);
  });

  it('rejects a key with an equals sign or an unknown section', async () => {
    await expect(rewrite(mp3, 'mp3', { set: { ID3: { 'x=y': 'z' } } })).rejects.toMatchObject({ code: 'invalid_parameter', message: expect.stringContaining('ID3.x=y') });
    await expect(rewrite(mp3, 'mp3', { set: { Vorbis: { title: 'z' } } })).rejects.toMatchObject({ code: 'invalid_parameter' });
  });

  it('bytes that are not audio are invalid_input', async () => {
    const { writeFile } = await import('node:fs/promises');
    const fake = join(dir, 'noise.mp3');
    await writeFile(fake, Buffer.from('ID3 but then nothing an MP3 decoder would take'.repeat(20)));
    await expect(readReport(fake, 'mp3')).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('a write cancelled as it starts leaves nothing', async () => {
    const controller = new AbortController();
    const outputPath = join(dir, 'never.mp3');
    const pending = metadataTool.write({ inputPath: mp3, outputPath, format: 'mp3', signal: controller.signal, log: quietLog, edit: { anonymize: true, strip_all: false, set: {}, remove: {} } });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    await expect(access(outputPath)).rejects.toThrow();
  });
});

describe.each(['ogg', 'opus', 'flac'] as const)('%s (Vorbis comments)', (format) => {
  it('reads, sets, removes, anonymizes and strips', async () => {
    const input = await makeAudio(dir, format);
    const report = await readReport(input, format);
    expect(report.sections.Vorbis).toMatchObject({ title: 'Night Tune', artist: 'Frank Player', album: 'Night', date: '2020' });
    expect(report.editable.Vorbis).toContain('title');

    const edited = await rewrite(input, format, { set: { Vorbis: { title: 'Day Tune', comment: 'live', album_artist: 'Band' } }, remove: { Vorbis: ['album'] } });
    const after = await readReport(edited, format);
    expect(after.sections.Vorbis).toMatchObject({ title: 'Day Tune', comment: 'live', album_artist: 'Band', artist: 'Frank Player' });
    expect(after.sections.Vorbis).not.toHaveProperty('album');
    await expectSameStreams(input, edited);

    const anonymous = await readReport(await rewrite(input, format, { anonymize: true }), format);
    expect(anonymous.common.author).toBeUndefined();
    expect(anonymous.common.software).toBeUndefined();
    expect(anonymous.sections.Vorbis?.title).toBe('Night Tune');

    const stripped = await readReport(await rewrite(input, format, { strip_all: true }), format);
    expect(stripped.sections.Vorbis ?? {}).toEqual({});
  });
});

describe('M4A (MP4 tags)', () => {
  it('reads iTunes tags and the location, and anonymize removes both the artist and the place', async () => {
    const input = await makeAudio(dir, 'm4a');
    const report = await readReport(input, 'm4a');
    expect(report.sections.MP4).toMatchObject({ title: 'Night Tune', artist: 'Frank Player', album: 'Night' });
    expect(report.common.gps?.latitude).toBeCloseTo(51.5, 3);
    const edited = await readReport(await rewrite(input, 'm4a', { set: { MP4: { title: 'Renamed', genre: 'Ambient' } }, remove: { MP4: ['album'] } }), 'm4a');
    expect(edited.sections.MP4).toMatchObject({ title: 'Renamed', genre: 'Ambient', artist: 'Frank Player' });
    expect(edited.sections.MP4).not.toHaveProperty('album');
    expect(edited.sections.File?.FileType).toBe('M4A');
    const anonymousPath = await rewrite(input, 'm4a', { anonymize: true });
    const anonymous = await readReport(anonymousPath, 'm4a');
    expect(anonymous.common.gps).toBeUndefined();
    expect(anonymous.common.author).toBeUndefined();
    expect(anonymous.common.software).toBeUndefined();
    expect(anonymous.sections.MP4?.title).toBe('Night Tune');
    await expectSameStreams(input, anonymousPath);
  });
});

describe.each(['mp4', 'mov'] as const)('%s video', (format) => {
  it('reads dimensions and GPS, sets a title, and anonymize keeps the video intact', async () => {
    const input = await makeVideo(dir, format);
    const report = await readReport(input, format);
    expect(report.common.dimensions).toEqual({ width: 32, height: 24 });
    expect(report.common.gps?.latitude).toBeCloseTo(40.7128, 3);
    expect(report.common.gps?.longitude).toBeCloseTo(-74.006, 3);
    const edited = await readReport(await rewrite(input, format, { set: { MP4: { title: 'Renamed clip' } } }), format);
    expect(edited.common.title).toBe('Renamed clip');
    const anonymousPath = await rewrite(input, format, { anonymize: true });
    const anonymous = await readReport(anonymousPath, format);
    expect(anonymous.common.gps).toBeUndefined();
    expect(anonymous.common.author).toBeUndefined();
    expect(anonymous.common.title).toBe('Clip One');
    await expectSameStreams(input, anonymousPath);
  });
});

describe.each(['mkv', 'webm'] as const)('%s (Matroska tags)', (format) => {
  it('reads, sets and strips container tags', async () => {
    const input = await makeVideo(dir, format);
    const report = await readReport(input, format);
    expect(report.sections.Matroska).toMatchObject({ title: 'Clip One', artist: 'Gina Filmer' });
    expect(report.common.dimensions).toEqual({ width: 32, height: 24 });
    const editedPath = await rewrite(input, format, { set: { Matroska: { title: 'Second clip' } }, remove: { Matroska: ['artist'] } });
    const edited = await readReport(editedPath, format);
    expect(edited.sections.Matroska).toMatchObject({ title: 'Second clip' });
    expect(edited.sections.Matroska).not.toHaveProperty('artist');
    await expectSameStreams(input, editedPath);
    const stripped = await readReport(await rewrite(input, format, { strip_all: true }), format);
    expect(stripped.sections.Matroska ?? {}).not.toHaveProperty('title');
    expect(stripped.common.author).toBeUndefined();
  });
});
