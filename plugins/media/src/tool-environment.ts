/**
 * The whole environment ffmpeg and ffprobe run with: PATH to find them, and the C locale.
 * ffmpeg reads variables of its own (FFREPORT makes it write a log file into its working
 * directory or wherever the variable says), none of which a conversion should depend on.
 */
export function toolEnvironment(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
}
