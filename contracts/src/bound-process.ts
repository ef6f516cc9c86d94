import { existsSync } from 'node:fs';

/** util-linux's setpriv (Linux), which sets a parent-death signal and then runs a program. */
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/**
 * The command line that runs `command` so that it dies with this process, however this one
 * ends: a plugin's long-lived helper (a LibreOffice listener, exiftool) would otherwise outlive
 * a Conveyor process killed outright (SIGKILL, the OOM killer) and keep its memory for ever.
 * Where setpriv exists the kernel sends the helper SIGKILL when we die; elsewhere the command
 * is run as it is. setpriv replaces itself with the command, so the pid is the helper's own.
 *
 * @example
 * const [file, args] = boundToThisProcess('soffice.bin', ['--headless']);
 * spawn(file, args, options);
 */
export function boundToThisProcess(command: string, args: readonly string[]): [string, string[]] {
  return setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, [...args]];
}
