// Where the machine's CPU went during a phase: each process of the deployment (with its child
// processes), the PostgreSQL and NATS servers, the benchmark client itself, and the rest of the
// machine. Read from Linux's /proc; elsewhere the accounting is reported as unavailable.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

const CLIENT = 'benchmark client';
const REST = 'rest of the machine';

/** Servers the deployments talk to, recognised by their process name. */
const SERVERS = [
  { label: 'PostgreSQL server', matches: (name) => name === 'postgres' },
  { label: 'NATS server', matches: (name) => name === 'nats-server' },
];

let ticksPerSecond;
function clockTicksPerSecond() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100; // USER_HZ on every mainstream Linux build
    }
  }
  return ticksPerSecond;
}

/** Every live process: its parent, its name, and its own plus its reaped children's CPU ticks. */
function readProcesses() {
  const processes = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended while we looked
    }
    // The name is in parentheses and may itself contain spaces or parentheses.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    processes.set(Number(entry), { parent: Number(fields[1]), name, ticks: utime + stime + cutime + cstime });
  }
  return processes;
}

/** Busy and total CPU ticks of the whole machine, from the first line of /proc/stat. */
function readMachine() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already counted in user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  return { busy: user + nice + system + irq + softirq + steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

function descendsFrom(pid, root, processes) {
  for (let current = pid; current > 1; current = processes.get(current)?.parent ?? 0) {
    if (current === root) return true;
  }
  return false;
}

function snapshot(roots) {
  const processes = readProcesses();
  const ticks = new Map();
  const add = (label, value) => ticks.set(label, (ticks.get(label) ?? 0) + value);
  for (const [pid, info] of processes) {
    const root = roots.find((candidate) => descendsFrom(pid, candidate.pid, processes));
    if (root) add(root.label, info.ticks);
    else {
      const server = SERVERS.find((candidate) => candidate.matches(info.name));
      if (server) add(server.label, info.ticks);
    }
  }
  const usage = process.cpuUsage();
  return { ticks, clientMicros: usage.user + usage.system, machine: readMachine() };
}

/**
 * Starts accounting for `roots` (`[{label, pid}]`: the deployment's server processes).
 * `stop(jobs)` returns `{cpus, rows: [{label, seconds, cpuShare, msPerJob}], machine: row}`:
 * one row per process group and the rest of the machine, then the whole machine's total; or
 * `{unavailable: reason}` where /proc cannot be read.
 */
export function startCpuAccounting(roots) {
  if (!existsSync('/proc/stat')) return { stop: () => ({ unavailable: 'no /proc on this platform' }) };
  const started = performance.now();
  const before = snapshot(roots);
  return {
    stop(jobs) {
      const after = snapshot(roots);
      const wallSeconds = (performance.now() - started) / 1000;
      const hz = clockTicksPerSecond();
      const row = (label, seconds) => ({ label, seconds, cpuShare: seconds / wallSeconds, msPerJob: (seconds * 1000) / jobs });
      const rows = [...roots.map((root) => root.label), ...SERVERS.map((server) => server.label)].map((label) =>
        row(label, Math.max(0, (after.ticks.get(label) ?? 0) - (before.ticks.get(label) ?? 0)) / hz),
      );
      rows.push(row(CLIENT, (after.clientMicros - before.clientMicros) / 1e6));
      const machineSeconds = (after.machine.busy - before.machine.busy) / hz;
      const accounted = rows.reduce((sum, entry) => sum + entry.seconds, 0);
      rows.push(row(REST, Math.max(0, machineSeconds - accounted)));
      return { cpus: os.cpus().length, rows, machine: row('whole machine', machineSeconds) };
    },
  };
}
