import { spawn, type ChildProcess } from 'node:child_process';
import { boundToThisProcess } from '@conveyor/contracts';
import { DefaultExiftoolArgs, exiftoolPath } from 'exiftool-vendored';

/**
 * Starts exiftool (`perl exiftool -stay_open True -@ -`) so that it dies with this process.
 * exiftool-vendored ends it on a normal shutdown, but when this process is killed outright
 * exiftool finds its stdin closed and, by design, polls it a hundred times a second for ever.
 */
export async function spawnExiftool(): Promise<ChildProcess> {
  const [file, args] = boundToThisProcess('perl', [await exiftoolPath(), ...DefaultExiftoolArgs]);
  return spawn(file, args, { stdio: 'pipe', shell: false, detached: false, env: { ...process.env, LANG: 'C' } });
}
