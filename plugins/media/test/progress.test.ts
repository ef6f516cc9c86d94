import { describe, expect, it } from 'vitest';
import { FfmpegProgress } from '../src/progress.js';

function reader(expectedSeconds: number | undefined) {
  const positions: [number, number | undefined][] = [];
  const progress = new FfmpegProgress(expectedSeconds, (seconds, percent) => positions.push([seconds, percent]));
  return { progress, positions };
}

describe('FfmpegProgress', () => {
  it('reads the position of audio and video statistics lines, and takes those lines', () => {
    const { progress, positions } = reader(10);
    expect(progress.read('size=     256kB time=00:00:02.50 bitrate= 838.9kbits/s speed=10.1x    ')).toBe(true);
    expect(progress.read('frame=   50 fps=0.0 q=-1.0 Lsize=      13kB time=00:00:05.00 bitrate=  56.5kbits/s speed=20.4x')).toBe(true);
    expect(progress.read('size=N/A time=01:00:00.00 bitrate=N/A speed= 900x')).toBe(true);
    expect(positions).toEqual([
      [2.5, 25],
      [5, 50],
      [3600, 99],
    ]);
  });

  it('leaves every other line, error messages among them, to the error text', () => {
    const { progress, positions } = reader(10);
    expect(progress.read('[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0c0] moov atom not found')).toBe(false);
    expect(progress.read('Error while decoding stream #0:0: Invalid data found when processing input')).toBe(false);
    expect(progress.read('time=00:00:01.00')).toBe(false);
    expect(positions).toEqual([]);
  });

  it('skips positions ffmpeg cannot tell yet: N/A before the first frame, negative during an encoder delay', () => {
    const { progress, positions } = reader(10);
    expect(progress.read('frame=    0 fps=0.0 q=0.0 size=       0kB time=N/A bitrate=N/A speed=N/A')).toBe(true);
    expect(progress.read('size=       0kB time=-00:00:00.02 bitrate=N/A speed=N/A')).toBe(true);
    expect(positions).toEqual([]);
  });

  it('reports positions without a percentage when the expected length is unknown', () => {
    const { progress, positions } = reader(undefined);
    progress.read('size=      64kB time=00:01:05.25 bitrate= 8.0kbits/s speed=50x');
    expect(positions).toEqual([[65.25, undefined]]);
  });
});
