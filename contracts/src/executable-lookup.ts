import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The file a plugin's external tool runs from: `command` itself when it names a path, else the
 * first executable file of that name in `searchPath`'s folders; undefined when there is none.
 * It runs nothing, so a plugin can tell a missing tool from a failing one before it starts it.
 *
 * @example
 * const qpdf = locateExecutable('qpdf'); // '/usr/bin/qpdf', or undefined
 */
export function locateExecutable(command: string, searchPath: string = process.env.PATH ?? ''): string | undefined {
  const candidates = command.includes('/') ? [command] : searchPath.split(delimiter).filter(Boolean).map((folder) => join(folder, command));
  return candidates.find(isExecutableFile);
}
