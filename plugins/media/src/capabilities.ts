import type { PluginCapability } from '@conveyor/contracts';
import { audioFormatIds, videoFormatIds, type SourceFormatId, type TargetFormatId } from './formats.js';
import { mediaOptionsSchema } from './options.js';
import { presetsFor } from './presets.js';
import { targetOf } from './targets.js';

/** Encoding video costs far more than audio; the planner weighs hops by it. */
const audioCost = 1;
const videoCost = 2;

function capability(from: SourceFormatId, to: TargetFormatId): PluginCapability {
  const target = targetOf(to);
  const presets = presetsFor(target);
  return {
    from,
    to,
    cost: target.kind === 'audio' ? audioCost : videoCost,
    // Decoding loses nothing, so only the target's encoder decides: WAV and FLAC keep every sample.
    lossy: target.kind !== 'audio' || target.codec.bitrate !== undefined,
    options: mediaOptionsSchema(target),
    ...(presets.length > 0 ? { presets } : {}),
  };
}

const others = <T extends string>(formats: readonly T[], format: T) => formats.filter((candidate) => candidate !== format);

/**
 * Every audio format to every other; every video format to every other, to an animated GIF and
 * to every audio format (its soundtrack).
 */
export const mediaCapabilities: PluginCapability[] = [
  ...audioFormatIds.flatMap((from) => others(audioFormatIds, from).map((to) => capability(from, to))),
  ...videoFormatIds.flatMap((from) => [
    ...others(videoFormatIds, from).map((to) => capability(from, to)),
    capability(from, 'gif'),
    ...audioFormatIds.map((to) => capability(from, to)),
  ]),
];
