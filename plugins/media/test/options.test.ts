import { PluginError } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { vorbisQuality } from '../src/ffmpeg-arguments.js';
import { audioFormatIds, isTargetFormatId, videoFormatIds, type TargetFormatId } from '../src/formats.js';
import { outputFrameSize } from '../src/frame-size.js';
import { mediaCapabilities, parseMediaOptions } from '../src/index.js';
import { encoderNames } from '../src/probe.js';
import { targetOf, type GifTarget, type VideoTarget } from '../src/targets.js';

function target(format: string) {
  if (!isTargetFormatId(format)) throw new Error(`${format} is not a target`);
  return targetOf(format);
}

function refusal(options: Record<string, unknown>, to: TargetFormatId): PluginError {
  try {
    parseMediaOptions(options, targetOf(to));
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    return error as PluginError;
  }
  return expect.unreachable(`${JSON.stringify(options)} was accepted for ${to}`);
}

const propertyNames = (to: TargetFormatId) =>
  Object.keys((mediaCapabilities.find((capability) => capability.to === to)!.options as { properties: object }).properties).sort();

describe('capabilities', () => {
  it('pairs every audio format with every other, and every video format with every other, GIF and every audio format', () => {
    const audioPairs = audioFormatIds.length * (audioFormatIds.length - 1);
    const videoPairs = videoFormatIds.length * (videoFormatIds.length - 1 + 1 + audioFormatIds.length);
    expect(mediaCapabilities).toHaveLength(audioPairs + videoPairs);
    expect(mediaCapabilities).toHaveLength(86);
    const keys = mediaCapabilities.map((capability) => `${capability.from}>${capability.to}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(mediaCapabilities.some((capability) => capability.from === capability.to)).toBe(false);
  });

  it('calls only WAV and FLAC targets lossless', () => {
    const lossless = new Set(mediaCapabilities.filter((capability) => !capability.lossy).map((capability) => capability.to));
    expect([...lossless].sort()).toEqual(['flac', 'wav']);
  });

  it('offers the options that make sense for each kind of target', () => {
    expect(propertyNames('mp3')).toEqual(['bitrate', 'channels', 'duration', 'sample_rate', 'start']);
    expect(propertyNames('flac')).toEqual(['channels', 'duration', 'sample_rate', 'start']);
    expect(propertyNames('webm')).toEqual(['crf', 'duration', 'fps', 'height', 'max_size', 'start', 'width']);
    expect(propertyNames('gif')).toEqual(['duration', 'fps', 'height', 'max_size', 'start', 'width']);
  });

  it('gives lossy audio targets low/web/high/very-high presets with rising bitrates, lossless ones none', () => {
    for (const capability of mediaCapabilities.filter((candidate) => audioFormatIds.includes(candidate.to as never))) {
      if (!capability.lossy) {
        expect(capability.presets, `${capability.from} → ${capability.to}`).toBeUndefined();
        continue;
      }
      expect(capability.presets?.map((preset) => preset.id)).toEqual(['low', 'web', 'high', 'very-high']);
      const bitrates = capability.presets!.map((preset) => preset.params.bitrate as number);
      expect(bitrates).toEqual([...bitrates].sort((a, b) => a - b));
    }
  });

  it('gives video and GIF targets web/high/small presets that cap the frame size', () => {
    for (const capability of mediaCapabilities.filter((candidate) => candidate.to === 'gif' || videoFormatIds.includes(candidate.to as never))) {
      const presets = Object.fromEntries(capability.presets!.map((preset) => [preset.id, preset.params]));
      expect(Object.keys(presets).sort()).toEqual(['high', 'small', 'web']);
      expect(presets.small!.max_size).toBeLessThan(presets.web!.max_size as number);
      expect(presets.web!.max_size).toBeLessThan(presets.high!.max_size as number);
      if (capability.to !== 'gif') expect(presets.high!.crf).toBeLessThan(presets.small!.crf as number);
    }
  });

  it('has presets whose params are all valid options of their own capability', () => {
    for (const capability of mediaCapabilities) {
      for (const preset of capability.presets ?? []) {
        expect(() => parseMediaOptions(preset.params, target(capability.to)), `${capability.to} preset ${preset.id}`).not.toThrow();
      }
    }
  });
});

describe('parseMediaOptions', () => {
  it('accepts and returns valid options', () => {
    expect(parseMediaOptions({ bitrate: 128, sample_rate: 22050, channels: 2, start: 1.5, duration: 2 }, targetOf('mp3'))).toEqual({
      bitrate: 128,
      sample_rate: 22050,
      channels: 2,
      start: 1.5,
      duration: 2,
    });
    expect(parseMediaOptions({ width: 640, crf: 20, fps: 29.97 }, targetOf('mp4'))).toEqual({ width: 640, crf: 20, fps: 29.97 });
    expect(parseMediaOptions({ width: 99 }, targetOf('gif'))).toEqual({ width: 99 });
  });

  it('refuses strings, even ones that look like numbers, so no text reaches the command line', () => {
    expect(refusal({ width: '32 -i /etc/passwd' }, 'mp4')).toMatchObject({ code: 'invalid_parameter' });
    expect(refusal({ bitrate: '128' }, 'mp3')).toMatchObject({ code: 'invalid_parameter', message: expect.stringMatching(/bitrate must be an integer/) });
    expect(refusal({ start: '00:00:01' }, 'mp3')).toMatchObject({ code: 'invalid_parameter' });
  });

  it('refuses values outside the schema', () => {
    expect(refusal({ crf: 52 }, 'mp4').message).toMatch(/crf must be an integer of at most 51/);
    expect(refusal({ crf: 64 }, 'webm').message).toMatch(/at most 63/);
    expect(refusal({ width: 33 }, 'mp4').message).toMatch(/multiple of 2/);
    expect(refusal({ width: 1.5 }, 'gif').message).toMatch(/integer/);
    expect(refusal({ sample_rate: 44000 }, 'mp3').message).toMatch(/one of/);
    expect(refusal({ sample_rate: 44100 }, 'opus').message).toMatch(/8000, 12000, 16000, 24000, 48000/);
    expect(refusal({ channels: 6 }, 'wav').message).toMatch(/at most 2/);
    expect(refusal({ bitrate: 321 }, 'mp3').message).toMatch(/at most 320/);
    expect(refusal({ start: -1 }, 'wav').message).toMatch(/at least 0/);
    expect(refusal({ duration: 0 }, 'wav').message).toMatch(/above 0/);
    expect(refusal({ fps: Number.NaN }, 'mp4').message).toMatch(/fps must be a number/);
    expect(refusal({ width: Number.POSITIVE_INFINITY }, 'mp4').code).toBe('invalid_parameter');
  });

  it('refuses options that do not apply to the target, naming the ones that do', () => {
    expect(refusal({ crf: 20 }, 'mp3').message).toMatch(/crf does not apply .*accepted: bitrate/);
    expect(refusal({ bitrate: 128 }, 'flac').message).toMatch(/bitrate does not apply/);
    expect(refusal({ bitrate: 128 }, 'mp4').message).toMatch(/bitrate does not apply/);
    expect(refusal({ quality: 90 }, 'gif').message).toMatch(/quality does not apply/);
  });
});

describe('outputFrameSize', () => {
  const mp4 = targetOf('mp4') as VideoTarget;
  const gif = targetOf('gif') as GifTarget;

  it('keeps the input size when asked for nothing', () => {
    expect(outputFrameSize({ width: 1920, height: 1080 }, {}, mp4)).toEqual({ width: 1920, height: 1080 });
  });

  it('follows the aspect ratio for the side left out, rounded to even for H.264/VP9', () => {
    expect(outputFrameSize({ width: 1920, height: 1080 }, { width: 640 }, mp4)).toEqual({ width: 640, height: 360 });
    expect(outputFrameSize({ width: 1920, height: 1080 }, { height: 100 }, mp4)).toEqual({ width: 178, height: 100 });
    expect(outputFrameSize({ width: 1920, height: 1080 }, { height: 100 }, gif)).toEqual({ width: 178, height: 100 });
    expect(outputFrameSize({ width: 64, height: 48 }, { width: 30 }, gif)).toEqual({ width: 30, height: 23 });
    expect(outputFrameSize({ width: 64, height: 48 }, { width: 30 }, mp4)).toEqual({ width: 30, height: 22 });
  });

  it('caps the longest side with max_size, for portrait frames too, and never scales up', () => {
    expect(outputFrameSize({ width: 1920, height: 1080 }, { max_size: 1280 }, mp4)).toEqual({ width: 1280, height: 720 });
    expect(outputFrameSize({ width: 1080, height: 1920 }, { max_size: 1280 }, mp4)).toEqual({ width: 720, height: 1280 });
    expect(outputFrameSize({ width: 640, height: 360 }, { max_size: 1280 }, mp4)).toEqual({ width: 640, height: 360 });
    expect(outputFrameSize({ width: 1920, height: 1080 }, { width: 3840, max_size: 1920 }, mp4)).toEqual({ width: 1920, height: 1080 });
  });

  it('caps a GIF made without a size at the web preset size', () => {
    expect(outputFrameSize({ width: 1920, height: 1080 }, {}, gif)).toEqual({ width: 480, height: 270 });
    expect(outputFrameSize({ width: 1920, height: 1080 }, { width: 800 }, gif)).toEqual({ width: 800, height: 450 });
  });
});

describe('vorbisQuality', () => {
  it('picks the quality whose nominal bitrate per channel matches', () => {
    expect(vorbisQuality(128, 2)).toBe(4);
    expect(vorbisQuality(64, 1)).toBe(4);
    expect(vorbisQuality(192, 2)).toBe(6);
    expect(vorbisQuality(144, 2)).toBeCloseTo(4.5);
    expect(vorbisQuality(500, 2)).toBe(10);
    expect(vorbisQuality(500, 1)).toBe(10);
    expect(vorbisQuality(32, 2)).toBe(-1);
  });
});

describe('encoderNames', () => {
  it('reads the encoder names out of ffmpeg -encoders', () => {
    const listing = [
      'Encoders:',
      ' V..... = Video',
      ' ------',
      ' V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)',
      ' A..... aac                  AAC (Advanced Audio Coding)',
      ' A....D libmp3lame           libmp3lame MP3 (MPEG audio layer 3) (codec mp3)',
    ].join('\n');
    expect([...encoderNames(listing)].sort()).toEqual(['aac', 'libmp3lame', 'libx264']);
  });
});
