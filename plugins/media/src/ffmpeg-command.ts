import type { SpawnOptions } from 'node:child_process';
import { boundToThisProcess } from '@conveyor/contracts';
import ffmpeg, { type FfmpegCommand } from 'fluent-ffmpeg';
import { toolEnvironment } from './tool-environment.js';

/** fluent-ffmpeg's one spawn point: the conversion itself and its `-formats`/`-encoders` listings all go through it. */
type SpawnFfmpeg = (this: FfmpegCommand, args: string[], options: SpawnOptions | ((...args: unknown[]) => void), ...callbacks: unknown[]) => void;
/** Where fluent-ffmpeg asks which program to spawn. */
type GetFfmpegPath = (callback: (error: Error | null, path: string) => void) => void;

/**
 * Global options of every ffmpeg run: no banner, only errors on stderr, never read stdin.
 * fluent-ffmpeg has no method for global options, and ffmpeg reads them anywhere on the command
 * line, so they are given first among the first input's options.
 */
export const quietGlobalOptions = ['-hide_banner', '-nostdin', '-loglevel', 'error'];

/**
 * A new fluent-ffmpeg command that runs the `ffmpeg` found on PATH with `toolEnvironment()` only,
 * bound to this process: a worker killed outright takes its ffmpeg with it (`boundToThisProcess`),
 * rather than leaving a transcode to run on for nobody.
 *
 * The path is set rather than left to fluent-ffmpeg, which would take it from FFMPEG_PATH in the
 * worker's environment: conversions run the same ffmpeg the probe checked.
 *
 * fluent-ffmpeg (2.1.3) builds spawn's options itself and has no setting for
 * the child's environment, so ffmpeg would inherit the worker's. Every ffmpeg it starts is spawned
 * by the command's `_spawnFfmpeg(args, options, …)`, which is wrapped here, for this command alone,
 * to add `env` to those options and to spawn the bound command line (the program comes from
 * `_getFfmpegPath`, answered here too). The tests read the running ffmpeg's environment to hold
 * it to that, and kill its host to see it go.
 */
export function newFfmpegCommand(): FfmpegCommand {
  const command = ffmpeg() as FfmpegCommand & { _spawnFfmpeg?: SpawnFfmpeg; _getFfmpegPath?: GetFfmpegPath };
  const spawnFfmpeg = command._spawnFfmpeg;
  if (typeof spawnFfmpeg !== 'function' || typeof command._getFfmpegPath !== 'function') {
    throw new Error('fluent-ffmpeg has no _spawnFfmpeg and _getFfmpegPath to give ffmpeg a restricted environment');
  }
  const [program, prefix] = boundToThisProcess('ffmpeg', []);
  command._getFfmpegPath = (callback) => callback(null, program);
  command._spawnFfmpeg = function (args, options, ...callbacks) {
    const bound = [...prefix, ...args];
    // The options may be left out, the callbacks then coming first.
    if (typeof options === 'function') spawnFfmpeg.call(this, bound, { env: toolEnvironment() }, options, ...callbacks);
    else spawnFfmpeg.call(this, bound, { ...options, env: toolEnvironment() }, ...callbacks);
  };
  return command;
}
