import { access, constants, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProbeResult } from '@conveyor/contracts';
import { officePool } from './office-pool.js';
import { officeSettings } from './office-settings.js';
import { runUnoconv } from './unoconv-client.js';

let passed: Promise<ProbeResult> | undefined;

/**
 * Says whether unoconv, a Python that has LibreOffice's `uno` module, and soffice.bin are here,
 * and converts a one-line text to PDF in the pool (which warms one listener). A success is
 * remembered for the life of the process; a failure is looked at again next time.
 */
export function probeOffice(): Promise<ProbeResult> {
  if (passed) return passed;
  const attempt = runProbe();
  passed = attempt;
  attempt.then((result) => {
    if (!result.ok && passed === attempt) passed = undefined;
  });
  return attempt;
}

async function runProbe(): Promise<ProbeResult> {
  const settings = officeSettings();
  for (const [what, path] of [
    ['soffice.bin (LibreOffice)', settings.sofficeBinary],
    ['unoconv', settings.unoconvScript],
    ['python for unoconv', settings.python],
  ] as const) {
    try {
      await access(path, constants.X_OK);
    } catch {
      return { ok: false, reason: `${what} is not at ${path} or not executable` };
    }
  }
  let scratch: string | undefined;
  const lease = await officePool()
    .acquire(new AbortController().signal)
    .catch((error: unknown) => error as Error);
  if (lease instanceof Error) return { ok: false, reason: `LibreOffice does not start: ${lease.message}` };
  try {
    await mkdir(settings.scratchRoot, { recursive: true });
    scratch = await mkdtemp(join(settings.scratchRoot, 'probe-'));
    const input = join(scratch, 'probe.txt');
    await writeFile(input, 'Conveyor probe\n');
    await runUnoconv(settings, { port: lease.port, inputPath: input, outputPath: join(scratch, 'probe.pdf'), format: 'pdf' });
    const pdf = await readFile(join(scratch, 'probe.pdf'));
    if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) return { ok: false, reason: 'LibreOffice converted a text to something that is not a PDF' };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `LibreOffice cannot convert through unoconv: ${(error as Error).message.trim()}` };
  } finally {
    lease.release();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
