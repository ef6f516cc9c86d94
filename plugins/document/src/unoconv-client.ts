import { readdir, readFile } from 'node:fs/promises';
import unoconv, { type UnoconvOptions } from 'unoconv-promise';
import type { OfficeSettings } from './office-settings.js';

export interface UnoconvRequest {
  port: number;
  inputPath: string;
  outputPath: string;
  /** unoconv's name for the output format. */
  format: string;
  importOption?: string;
  exportOption?: string;
}

/**
 * Converts through the listener on `port` with the unoconv client. unoconv-promise resolves
 * when unoconv exits and rejects with its stderr when it wrote any: every failure unoconv
 * reports (a document it cannot load, an export that failed, a listener that died) is on stderr.
 */
export function runUnoconv(settings: OfficeSettings, request: UnoconvRequest): Promise<unknown> {
  const options: UnoconvOptions = {
    unoconv: settings.unoconvScript,
    python: settings.python,
    // Never start an office of its own, with the default profile, outside the pool's control.
    'no-launch': true,
    connection: `socket,host=127.0.0.1,port=${request.port};urp;StarOffice.ComponentContext`,
    format: request.format,
    output: request.outputPath,
    file: request.inputPath,
  };
  if (request.importOption) options.import = request.importOption;
  if (request.exportOption) options.export = request.exportOption;
  return unoconv.run(options);
}

/**
 * Kills the unoconv client converting `marker` (a path only its command line holds).
 * unoconv-promise keeps the child process to itself, so the client is found among this
 * process's children in /proc. Where there is no /proc the client ends on its own as soon as
 * its listener is killed, since it has nothing left to talk to.
 */
export async function killUnoconvClient(marker: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return;
  }
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        try {
          const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
          // Fields after the parenthesised command name: state, ppid, …
          const parentId = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          if (parentId !== process.pid) return;
          const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8');
          if (commandLine.includes(marker)) process.kill(Number(entry), 'SIGKILL');
        } catch {
          // The process ended meanwhile, or is not ours to read.
        }
      }),
  );
}
