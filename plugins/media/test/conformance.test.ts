import { afterAll, expect } from 'vitest';
import { runPluginConformance } from '../../../test/plugin-conformance/index.js';
import { audioFormatIds, isTargetFormatId, videoFormatIds, type TargetFormatId } from '../src/formats.js';
import { mediaPlugin } from '../src/index.js';
import { durationOf, fixtureHeight, fixtureSeconds, fixtureWidth, probeBytes, removeWorkDirs, sampleBytes, streamOf } from './media-fixtures.js';

afterAll(removeWorkDirs);

const mp4Family = 'mov,mp4,m4a,3gp,3g2,mj2';
const matroska = 'matroska,webm';

/** What ffprobe must read in an output of each format: container, codecs and, for MP4-family files, the brand. */
const expectedOutputs: Record<TargetFormatId, { container: string; video?: string; audio?: string; brand?: string }> = {
  mp3: { container: 'mp3', audio: 'mp3' },
  wav: { container: 'wav', audio: 'pcm_s16le' },
  flac: { container: 'flac', audio: 'flac' },
  ogg: { container: 'ogg', audio: 'vorbis' },
  opus: { container: 'ogg', audio: 'opus' },
  aac: { container: 'aac', audio: 'aac' },
  m4a: { container: mp4Family, audio: 'aac', brand: 'M4A ' },
  mp4: { container: mp4Family, video: 'h264', audio: 'aac', brand: 'isom' },
  mov: { container: mp4Family, video: 'h264', audio: 'aac', brand: 'qt  ' },
  mkv: { container: matroska, video: 'h264', audio: 'aac' },
  webm: { container: matroska, video: 'vp9', audio: 'opus' },
  gif: { container: 'gif', video: 'gif' },
};

/** Encoder delay and frame granularity move the end of a 1 s clip by a few tens of milliseconds. */
const durationToleranceSeconds = 0.15;

runPluginConformance(mediaPlugin, {
  samples: Object.fromEntries([...audioFormatIds, ...videoFormatIds].map((format) => [format, () => sampleBytes(format)])),
  // Half an MP4: a real header and part of the media data, but no index, so the demuxer itself must notice.
  corruptSample: {
    from: 'mp4',
    bytes: async () => {
      const whole = await sampleBytes('mp4');
      return whole.subarray(0, Math.floor(whole.length / 2));
    },
  },
  verifyOutput: async ({ to, bytes }) => {
    if (!isTargetFormatId(to)) throw new Error(`the media plugin converted to ${to}, a format it does not declare`);
    const expected = expectedOutputs[to];
    const probed = await probeBytes(bytes, to);
    expect(probed.format.format_name).toBe(expected.container);
    if (expected.brand) expect(probed.format.tags?.major_brand).toBe(expected.brand);
    expect(Math.abs(durationOf(probed) - fixtureSeconds)).toBeLessThan(durationToleranceSeconds);

    const video = streamOf(probed, 'video');
    const audio = streamOf(probed, 'audio');
    expect(video?.codec_name).toBe(expected.video);
    if (video) expect([video.width, video.height]).toEqual([fixtureWidth, fixtureHeight]);
    // A video made from a video keeps its soundtrack; a GIF has none to keep.
    expect(audio?.codec_name).toBe(expected.audio);
    if (audio) expect(audio.channels).toBe(1);
  },
});
