import { resolve } from 'node:path';
import { ffmpegDemuxerOf } from '@conveyor/contracts';
import { cancelledError } from './cancellation.js';
import { runTool } from './tool-run.js';

export interface MediaFacts {
  /** Undefined when neither the container nor a stream says (a live-recorded WebM). */
  durationSeconds?: number;
  /** The largest video frame, in pixels. */
  framePixels?: number;
}

export type MediaProbe = { ok: true; facts: MediaFacts } | { ok: false; reason: string } | { ok: 'missing' };

interface ProbeOutput {
  format?: { duration?: string };
  streams?: { codec_type?: string; width?: number; height?: number; duration?: string }[];
}

/**
 * Asks ffprobe how long a media file lasts and how large its frames are, reading only the local
 * file (`-protocol_whitelist file`) with the demuxer forced from the format, so that a playlist
 * or concat list uploaded as `.mp4` opens nothing it names.
 */
export async function probeMedia(ffprobe: string, path: string, format: string, signal: AbortSignal, timeoutMs: number): Promise<MediaProbe> {
  const demuxer = ffmpegDemuxerOf(format) ?? format;
  const args = [
    '-hide_banner',
    '-v',
    'error',
    '-of',
    'json',
    '-show_entries',
    'format=duration:stream=codec_type,width,height,duration',
    '-f',
    demuxer,
    '-protocol_whitelist',
    'file',
    ...(demuxer === 'mov' ? ['-enable_drefs', '0'] : []),
    '-i',
    `file:${resolve(path)}`,
  ];
  const run = await runTool(ffprobe, args, signal, timeoutMs);
  if (run.outcome === 'missing') return { ok: 'missing' };
  if (run.outcome === 'cancelled') throw cancelledError();
  if (run.outcome === 'timed-out') return { ok: false, reason: `ffprobe took longer than ${timeoutMs} ms to read it` };
  if (run.outcome === 'overflowed') return { ok: false, reason: 'it describes too many streams' };
  if (run.code !== 0) return { ok: false, reason: lastLine(run.stderr) || `ffprobe exited with ${run.code}` };
  let probed: ProbeOutput;
  try {
    probed = JSON.parse(run.stdout) as ProbeOutput;
  } catch {
    return { ok: false, reason: 'ffprobe could not describe it' };
  }
  const streams = probed.streams ?? [];
  const durations = [probed.format?.duration, ...streams.map((stream) => stream.duration)].map(Number).filter((value) => Number.isFinite(value) && value > 0);
  const frames = streams.filter((stream) => stream.codec_type === 'video').map((stream) => (stream.width ?? 0) * (stream.height ?? 0));
  return {
    ok: true,
    facts: {
      ...(durations.length > 0 && { durationSeconds: Math.max(...durations) }),
      ...(frames.length > 0 && { framePixels: Math.max(...frames) }),
    },
  };
}

function lastLine(text: string): string {
  // ffprobe names the file in its messages; the verdict should not carry a server path.
  return (text.trim().split('\n').at(-1) ?? '').replace(/file:\S+/g, 'the file').trim();
}
