import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** Whether a process with this pid still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `startHelper` (an ES module body that must end by printing the helper's pid) in a
 * stand-in for a Conveyor process, kills that process outright (SIGKILL), and answers the
 * helper's pid and whether it was alive before the kill, for the caller to watch it go.
 */
export async function killHostOfHelper(startHelper: string): Promise<{ helper: number; aliveBefore: boolean }> {
  const host = spawn(process.execPath, ['--input-type=module', '-e', `${startHelper}\nsetInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(host.stdout!, 'data')) as [Buffer];
  const helper = Number(line.toString().trim());
  const aliveBefore = alive(helper);
  host.kill('SIGKILL');
  await once(host, 'exit');
  return { helper, aliveBefore };
}
