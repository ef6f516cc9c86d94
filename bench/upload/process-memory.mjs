// Resident memory and CPU time of a server process, read from /proc (Linux).
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const kibibyte = 1024;

async function statusField(pid, field) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(match[1]) * kibibyte;
}

/** The process's resident set size now, in bytes. */
export const residentBytes = (pid) => statusField(pid, 'VmRSS');

/**
 * Watches `pid`'s peak resident memory from now on. The kernel's own high-water mark (VmHWM),
 * reset here, sees every page ever resident however briefly; when the reset is not allowed, the
 * peak comes from sampling every `sampleMs` alone. `stop()` resolves to the baseline and peak.
 */
export async function watchPeakResident(pid, { sampleMs = 20 } = {}) {
  // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
  const kernelPeak = await writeFile(`/proc/${pid}/clear_refs`, '5').then(() => true, () => false);
  const baseline = await residentBytes(pid);
  let sampledPeak = baseline;
  let watching = true;
  const sampling = (async () => {
    while (watching) {
      sampledPeak = Math.max(sampledPeak, await residentBytes(pid).catch(() => 0));
      await sleep(sampleMs);
    }
  })();
  return {
    async stop() {
      watching = false;
      await sampling;
      const peak = kernelPeak ? Math.max(sampledPeak, await statusField(pid, 'VmHWM')) : sampledPeak;
      return { baseline, peak, growth: peak - baseline, source: kernelPeak ? 'VmHWM' : `sampled every ${sampleMs} ms` };
    },
  };
}

/** CPU time the process and its waited-for children have used, in clock ticks. */
async function cpuTicks(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces, start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14–17 of the whole line, 12–15 after the name.
  return fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
}

/**
 * Waits until `pid` has been nearly idle (under `busyShare` of one CPU) for `windowMs`, so that
 * what an upload set off (scanning the file, probing it) does not overlap the next measurement.
 * Gives up quietly after `timeoutMs`; returns how long it waited.
 */
export async function waitUntilIdle(pid, { windowMs = 1_000, busyShare = 0.05, timeoutMs = 120_000 } = {}) {
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  const started = performance.now();
  let before = await cpuTicks(pid);
  while (performance.now() - started < timeoutMs) {
    await sleep(windowMs);
    const after = await cpuTicks(pid);
    if ((after - before) / (windowMs * ticksPerMs) < busyShare) break;
    before = after;
  }
  return performance.now() - started;
}
