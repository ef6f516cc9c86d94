/** Percent reported while ffmpeg runs: 100 is kept for when the output is complete. */
const maxRunningPercent = 99;

/**
 * ffmpeg's statistics line (`-stats`), written to stderr every half second and handed over by
 * fluent-ffmpeg as a line of its own, e.g.
 * `frame=   50 fps=0.0 q=-1.0 size=      13kB time=00:00:01.88 bitrate=  56.5kbits/s speed=20.4x`.
 * `time` is the position reached in the output.
 */
const statisticsLine = /^(?:frame=.*\s)?L?size=\s*\S+\s+time=(\S+)\s+bitrate=/;
const timemark = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/;

/**
 * Reads ffmpeg's statistics lines and turns the position in the output into a percentage of
 * the expected length.
 */
export class FfmpegProgress {
  /**
   * @param expectedSeconds how long the output will be: the input's duration, trimmed by start
   *   and duration; undefined when the container does not say, and then no percentage is reported.
   * @param onPosition called with each position, in seconds of output, and its percentage.
   */
  constructor(
    private readonly expectedSeconds: number | undefined,
    private readonly onPosition: (seconds: number, percent: number | undefined) => void,
  ) {}

  /** Reads one stderr line; true when it was a statistics line, which is progress rather than a reason for a failure. */
  read(line: string): boolean {
    const statistics = statisticsLine.exec(line.trim());
    if (!statistics) return false;
    // Before the first frame ffmpeg writes N/A, or a negative time while skipping an encoder delay: both fail to match.
    const position = timemark.exec(statistics[1]!);
    if (position) {
      const seconds = Number(position[1]) * 3600 + Number(position[2]) * 60 + Number(position[3]);
      const percent =
        this.expectedSeconds === undefined ? undefined : Math.min(maxRunningPercent, Math.floor((seconds / this.expectedSeconds) * 100));
      this.onPosition(seconds, percent);
    }
    return true;
  }
}
