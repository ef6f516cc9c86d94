import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConveyorProcess } from './support/conveyor-process.js';

const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));
const matrixStart = '<!-- capability-matrix:start -->';
const matrixEnd = '<!-- capability-matrix:end -->';

/** `conveyor formats` with `env`, its output once it has exited 0. */
async function formats(env: Record<string, string> = {}): Promise<string> {
  const command = new ConveyorProcess('formats', env);
  expect(await command.exited, command.log).toBe(0);
  return command.log;
}

/** The plugins a printed matrix names, from its Plugins column. */
function pluginsIn(matrix: string): Set<string> {
  const rows = matrix.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| From'));
  return new Set(rows.flatMap((row) => row.split('|')[3]!.split(',').map((plugin) => plugin.trim())));
}

describe('conveyor formats', () => {
  it('prints the same matrix of direct pairs as the README, on a machine with ffmpeg and LibreOffice', async () => {
    const printed = await formats();
    expect(printed).not.toContain('left out');
    const readme = await readFile(readmePath, 'utf8');
    const section = readme.slice(readme.indexOf(matrixStart) + matrixStart.length, readme.indexOf(matrixEnd)).trim();
    expect(section, 'README.md: regenerate the matrix between the capability-matrix markers with `node apps/cli/dist/main.js formats`').toBe(printed.trim());
    expect(pluginsIn(printed)).toEqual(new Set(['image', 'media', 'document', 'pdf', 'data']));
  });

  it('leaves the plugins whose binaries are missing out of the graph, saying why', async () => {
    // No PATH and no LibreOffice where it is looked for: ffmpeg, ffprobe and soffice.bin cannot be found; the libraries still load.
    const printed = await formats({ PATH: '/nonexistent', CONVEYOR_SOFFICE_BIN: '/nonexistent/soffice.bin' });
    expect(printed).toMatch(/left out: media: .+/);
    expect(printed).toMatch(/left out: document: .+/);
    expect(pluginsIn(printed)).toEqual(new Set(['image', 'pdf', 'data']));
  });
});
