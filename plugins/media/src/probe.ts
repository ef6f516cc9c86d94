import type { ProbeResult } from '@conveyor/contracts';
import { requiredEncoders } from './targets.js';
import { runTool } from './tool-process.js';

/** A probe waits no longer than this for either tool: a start-up cannot hang on it. */
const probeTimeoutMs = 5_000;

let probing: Promise<ProbeResult> | undefined;

/**
 * Says whether ffmpeg and ffprobe run here and ffmpeg has every encoder the capabilities use.
 * A missing encoder fails the probe, naming it: the plugin never offers a conversion it would
 * then fail. The answer is kept, since the installed binaries do not change while the host runs.
 */
export function probeFfmpeg(): Promise<ProbeResult> {
  probing ??= checkTools();
  return probing;
}

async function checkTools(): Promise<ProbeResult> {
  const signal = AbortSignal.timeout(probeTimeoutMs);
  try {
    const ffprobe = await runTool('ffprobe', ['-hide_banner', '-version'], { signal });
    if (ffprobe.code !== 0) return { ok: false, reason: `ffprobe -version failed: ${ffprobe.stderr.trim() || `exit code ${ffprobe.code}`}` };
    const ffmpeg = await runTool('ffmpeg', ['-hide_banner', '-nostdin', '-encoders'], { signal });
    if (ffmpeg.code !== 0) return { ok: false, reason: `ffmpeg -encoders failed: ${ffmpeg.stderr.trim() || `exit code ${ffmpeg.code}`}` };
    const available = encoderNames(ffmpeg.stdout);
    const missing = requiredEncoders().filter((encoder) => !available.has(encoder));
    if (missing.length > 0) return { ok: false, reason: `ffmpeg lacks the encoders ${missing.join(', ')}` };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `ffmpeg or ffprobe cannot run: ${(error as Error).message}` };
  }
}

/** The encoder names in `ffmpeg -encoders` output: lines of six flag characters, the name, a description. */
export function encoderNames(listing: string): Set<string> {
  const names = new Set<string>();
  for (const line of listing.split('\n')) {
    const match = /^\s*[VAS.][F.][S.][X.][B.][D.]\s+([A-Za-z0-9][\w-]*)/.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}
