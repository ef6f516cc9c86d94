import type { PluginPreset } from '@conveyor/contracts';
import { gifPresets, videoPresetMaxSize, type Target, type VideoPresetId } from './targets.js';

const audioPresetLabels = {
  low: 'Low: small files, speech and previews',
  web: 'Web: good quality for streaming',
  high: 'High: close to the original',
  'very-high': 'Very high: the largest files, transparent',
} as const;

const videoPresetLabels: Record<VideoPresetId, string> = {
  web: 'Web: up to 720p, good quality',
  high: 'High: up to 1080p, close to the original',
  small: 'Small: up to 480p, smaller files',
};

const gifPresetLabels: Record<VideoPresetId, string> = {
  web: 'Web: up to 480 px, 10 fps',
  high: 'High: up to 640 px, 15 fps',
  small: 'Small: up to 320 px, 8 fps',
};

/**
 * The presets of a conversion to `target`. Lossless audio targets have none: their defaults
 * already keep everything, which is also what the planner wants of an intermediate hop.
 * Every preset's params are valid options for the target (the tests hold them to it).
 */
export function presetsFor(target: Target): PluginPreset[] {
  switch (target.kind) {
    case 'audio': {
      const bitrates = target.codec.bitrate?.presets;
      if (!bitrates) return [];
      return (Object.keys(audioPresetLabels) as (keyof typeof audioPresetLabels)[]).map((id) => ({
        id,
        label: `${audioPresetLabels[id]} (${bitrates[id]} kbit/s)`,
        params: { bitrate: bitrates[id] },
      }));
    }
    case 'video':
      return (Object.keys(videoPresetLabels) as VideoPresetId[]).map((id) => ({
        id,
        label: videoPresetLabels[id],
        params: { crf: target.video.crf.presets[id], max_size: videoPresetMaxSize[id] },
      }));
    case 'gif':
      return (Object.keys(gifPresetLabels) as VideoPresetId[]).map((id) => ({
        id,
        label: gifPresetLabels[id],
        params: { fps: gifPresets[id].fps, max_size: gifPresets[id].maxSize },
      }));
  }
}
