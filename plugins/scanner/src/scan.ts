import { PluginError, type ScanContext, type ScanVerdict } from '@conveyor/contracts';
import { checkArchive } from './archive-check.js';
import { throwIfCancelled } from './cancellation.js';
import { ClamdUnavailable, scanWithClamd } from './clamd-client.js';
import { scanContent } from './content-pass.js';
import { ScannedFile } from './file-reader.js';
import { checkByteLimit, checkContentLimits } from './limits-check.js';
import { checkPolyglot } from './polyglots.js';
import { describeClamd, type ScannerSettings } from './settings.js';
import { zipBasedFormats } from './format-families.js';
import { typeHeadLength, checkDeclaredType } from './type-check.js';
import { clean, infected, rejected, type Finding } from './verdicts.js';

/**
 * Runs the built-in checks, cheapest first once the file is known to fit, then ClamAV when it
 * is configured, and answers with the first that finds something. A file is called clean only
 * when every engine looked at it: an engine that cannot be asked fails the scan instead.
 */
export async function scanFile(ctx: ScanContext, settings: ScannerSettings): Promise<ScanVerdict> {
  throwIfCancelled(ctx.signal);
  if (settings.problem) throw new PluginError('scanner_unavailable', `the scanner is misconfigured: ${settings.problem}`);
  const file = await ScannedFile.open(ctx.inputPath).catch((error: Error) => {
    throw new PluginError('invalid_input', `the file to scan cannot be opened: ${error.message}`);
  });
  try {
    const finding = await builtinChecks(file, ctx, settings);
    if (finding) return finding;
    if (!settings.clamd) return clean(['builtin']);
    const clamav = await askClamd(file, ctx, settings);
    return clamav ?? clean(['builtin', 'clamav']);
  } finally {
    await file.close();
  }
}

async function builtinChecks(file: ScannedFile, ctx: ScanContext, settings: ScannerSettings): Promise<Finding> {
  const { format, signal } = ctx;
  // The file itself, not what the upload claimed, decides its size.
  const tooLarge = checkByteLimit(Math.max(file.size, ctx.size), ctx.limits.maxBytes);
  if (tooLarge) return tooLarge;
  // A file whose content is malware is reported as such, whatever else is wrong with it.
  const content = await scanContent(file, format, signal);
  if (content) return content;
  const head = await file.head(typeHeadLength);
  const typeFinding = checkDeclaredType(head, format, ctx.fileName) ?? (await checkPolyglot(file, head, format));
  if (typeFinding) return typeFinding;
  throwIfCancelled(signal);
  if (zipBasedFormats.has(format)) {
    const archive = await checkArchive(file, format, ctx.limits, signal);
    if (archive) return archive;
  }
  throwIfCancelled(signal);
  const limits = await checkContentLimits({ file, path: ctx.inputPath, format, limits: ctx.limits, signal, log: ctx.log, ffprobe: settings.ffprobe });
  throwIfCancelled(signal);
  return limits;
}

async function askClamd(file: ScannedFile, ctx: ScanContext, settings: ScannerSettings): Promise<Finding> {
  const clamd = settings.clamd!;
  let verdict;
  try {
    verdict = await scanWithClamd(clamd, file, ctx.signal);
  } catch (error) {
    if (error instanceof ClamdUnavailable) throw new PluginError('scanner_unavailable', `ClamAV could not scan the file: ${error.message}`);
    throw error;
  }
  switch (verdict.kind) {
    case 'ok':
      return undefined;
    case 'found':
      return infected(verdict.name, 'clamav');
    case 'size-limit':
      // What clamd did not see cannot be called clean.
      return rejected('INSTREAM size limit exceeded: the file is larger than clamd will scan (its StreamMaxLength)', 'clamav');
    case 'error':
      throw new PluginError('scanner_unavailable', `${describeClamd(clamd)} could not scan the file: ${verdict.message}`);
  }
}
