import { sniffHeadLength } from '@conveyor/contracts';
import { detectFormat } from '@conveyor/core';
import { afterAll, describe, expect, it } from 'vitest';
import { audioFormatIds, videoFormatIds } from '../src/formats.js';
import mediaPluginDefault, { mediaPlugin } from '../src/index.js';
import { requiredEncoders } from '../src/targets.js';
import { durationOf, probeBytes, removeWorkDirs, streamOf } from './media-fixtures.js';

afterAll(removeWorkDirs);

describe('the media plugin definition', () => {
  it('is exported by name and as the default, at version 0.1.0', () => {
    expect(mediaPluginDefault).toBe(mediaPlugin);
    expect([mediaPlugin.id, mediaPlugin.version]).toEqual(['media', '0.1.0']);
  });

  it('declares every format it converts from, as audio or video', () => {
    const declared = new Map(mediaPlugin.formats!.map((format) => [format.id, format.category]));
    for (const format of audioFormatIds) expect(declared.get(format), format).toBe('audio');
    for (const format of videoFormatIds) expect(declared.get(format), format).toBe('video');
  });

  it('probes ok here, where ffmpeg has every encoder it needs', async () => {
    expect(requiredEncoders()).toEqual(['aac', 'flac', 'gif', 'libmp3lame', 'libopus', 'libvorbis', 'libvpx-vp9', 'libx264', 'pcm_s16le']);
    expect(await mediaPlugin.probe!()).toEqual({ ok: true });
  });
});

describe('templates', () => {
  const expected: Record<string, { container: string; audio: string; video?: string }> = {
    mp3: { container: 'mp3', audio: 'mp3' },
    wav: { container: 'wav', audio: 'pcm_s16le' },
    flac: { container: 'flac', audio: 'flac' },
    ogg: { container: 'ogg', audio: 'vorbis' },
    opus: { container: 'ogg', audio: 'opus' },
    aac: { container: 'aac', audio: 'aac' },
    m4a: { container: 'mov,mp4,m4a,3gp,3g2,mj2', audio: 'aac' },
    mp4: { container: 'mov,mp4,m4a,3gp,3g2,mj2', audio: 'aac', video: 'h264' },
    mov: { container: 'mov,mp4,m4a,3gp,3g2,mj2', audio: 'aac', video: 'h264' },
    mkv: { container: 'matroska,webm', audio: 'aac', video: 'h264' },
    webm: { container: 'matroska,webm', audio: 'opus', video: 'vp9' },
  };

  it.each(Object.entries(expected))('makes a one-second %s', async (format, { container, audio, video }) => {
    const bytes = await mediaPlugin.template!(format);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const probed = await probeBytes(bytes!, format);
    expect(probed.format.format_name).toBe(container);
    expect(streamOf(probed, 'audio')?.codec_name).toBe(audio);
    expect(streamOf(probed, 'video')?.codec_name).toBe(video);
    expect(durationOf(probed)).toBeCloseTo(1, 1);
    const extension = mediaPlugin.formats!.find((declared) => declared.id === format)!.extensions[0]!;
    expect(detectFormat(bytes!.subarray(0, sniffHeadLength), `template.${extension}`, mediaPlugin.formats)).toMatchObject({ outcome: 'detected', format });
  });

  it('makes none of a format it does not read', async () => {
    expect(await mediaPlugin.template!('gif')).toBeUndefined();
    expect(await mediaPlugin.template!('png')).toBeUndefined();
  });
});
