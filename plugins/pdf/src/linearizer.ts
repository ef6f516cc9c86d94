import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateExecutable, PluginError } from '@conveyor/contracts';
import { cancelledError } from './cancellation.js';

/**
 * MuPDF dropped linearisation in 1.24 ("Linearisation is no longer supported"), so fast web
 * view comes from qpdf when it is installed, and is not offered when it is not.
 */
const linearizerName = 'qpdf';
/** qpdf's exit status for "done, with warnings": the output is written and usable. */
const exitWithWarnings = 3;

let found: { path: string | undefined } | undefined;

/** The path of qpdf on PATH, or undefined; looked up once, without running anything. */
export function findLinearizer(): string | undefined {
  found ??= { path: locateExecutable(linearizerName) };
  return found.path;
}

export function canLinearize(): boolean {
  return findLinearizer() !== undefined;
}

/**
 * `pdf` rewritten for fast web view by `qpdf --linearize`. qpdf reads only seekable files, so
 * the input goes to a temporary folder, removed before this returns; the output comes back on
 * stdout.
 */
export async function linearize(pdf: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const qpdf = findLinearizer();
  if (!qpdf) throw new PluginError('invalid_parameter', 'linearize is not available here: qpdf is not installed');
  const folder = await mkdtemp(join(tmpdir(), 'conveyor-pdf-'));
  try {
    const inputPath = join(folder, 'input.pdf');
    await writeFile(inputPath, pdf);
    return await runQpdf(qpdf, ['--linearize', inputPath, '-'], pdf.length, signal);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function runQpdf(qpdf: string, args: string[], inputLength: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    execFile(
      qpdf,
      args,
      // Linearising reorders objects without recompressing them: the output is about the input's size.
      { encoding: 'buffer', maxBuffer: inputLength * 2 + 16 * 1024 * 1024, ...(signal ? { signal } : {}) },
      (error, stdout, stderr) => {
        if (signal?.aborted) return reject(cancelledError());
        if (!error || error.code === exitWithWarnings) return resolve(new Uint8Array(stdout));
        reject(new PluginError('conversion_failed', `qpdf could not linearize the PDF: ${stderr.toString().trim() || error.message}`));
      },
    );
  });
}
