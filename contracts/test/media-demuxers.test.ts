import { describe, expect, it } from 'vitest';
import { ffmpegDemuxerOf } from '../src/media-demuxers.js';

describe('ffmpegDemuxerOf', () => {
  it('holds each audio and video format to its container', () => {
    expect(ffmpegDemuxerOf('opus')).toBe('ogg');
    expect(ffmpegDemuxerOf('m4a')).toBe('mov');
    expect(ffmpegDemuxerOf('webm')).toBe('matroska');
  });

  it('names none for other formats, inherited object keys among them', () => {
    expect(ffmpegDemuxerOf('png')).toBeUndefined();
    expect(ffmpegDemuxerOf('toString')).toBeUndefined();
    expect(ffmpegDemuxerOf('__proto__')).toBeUndefined();
  });
});
