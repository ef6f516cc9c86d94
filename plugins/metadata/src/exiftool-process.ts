import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DefaultExiftoolArgs, exiftoolPath } from 'exiftool-vendored';

/** util-linux's setpriv, which sets a parent-death signal before it runs a program (Linux only). */
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/**
 * Starts exiftool (`perl exiftool -stay_open True -@ -`) so that it dies with this process.
 * exiftool-vendored ends it on a normal shutdown, but when this process is killed outright
 * (SIGKILL, the OOM killer) exiftool finds its stdin closed and, by design, polls it a hundred
 * times a second for ever. Where setpriv exists, the kernel kills it with us instead.
 */
export async function spawnExiftool(): Promise<ChildProcess> {
  const command = ['perl', await exiftoolPath(), ...DefaultExiftoolArgs];
  const options = { stdio: 'pipe' as const, shell: false, detached: false, env: { ...process.env, LANG: 'C' } };
  return setpriv ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', ...command], options) : spawn(command[0]!, command.slice(1), options);
}
