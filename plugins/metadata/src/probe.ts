import type { ProbeResult } from '@conveyor/contracts';
import { exiftoolVersion } from './exiftool.js';
import { ffmpegAvailable, ffprobePath } from './ffprobe.js';

/** Ready when exiftool (perl) answers; ffmpeg/ffprobe only add the audio/video parts. */
export async function probeMetadataTools(): Promise<ProbeResult> {
  try {
    await exiftoolVersion();
  } catch (error) {
    return { ok: false, reason: `exiftool cannot run (it needs perl): ${(error as Error).message}` };
  }
  if (!(await ffmpegAvailable())) {
    console.warn(`metadata: ffprobe/ffmpeg not found (${ffprobePath}): stream details are left out and audio/video files cannot be rewritten`);
  }
  return { ok: true };
}
