import { PluginError } from '@conveyor/contracts';
import { formatName, type DocumentFormatId, type TargetFormatId } from './formats.js';

export function cancelledError(): PluginError {
  return new PluginError('cancelled', 'document conversion cancelled');
}

export function timeoutError(timeoutMs: number): PluginError {
  return new PluginError('timeout', `LibreOffice did not finish the document within ${timeoutMs} ms`);
}

/** What went wrong, judged from unoconv's stderr; `listenerDied` says the listener must be restarted. */
export interface UnoconvFailure {
  error: PluginError;
  listenerDied: boolean;
}

/** The interesting part of unoconv's report: the lines after its own prefix, without Python noise. */
function summary(stderr: string): string {
  const text = stderr.replace(/\s+/g, ' ').trim();
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/**
 * Turns a rejection of unoconv-promise's `run` (its message is unoconv's stderr) into the
 * PluginError a client can act on.
 */
export function describeUnoconvFailure(error: unknown, from: DocumentFormatId, to: TargetFormatId): UnoconvFailure {
  if (error instanceof PluginError) return { error, listenerDied: false };
  const stderr = error instanceof Error ? error.message : String(error);
  if ((error as { code?: string }).code === 'ENOENT') {
    return { error: new PluginError('conversion_failed', `unoconv cannot be run: ${stderr}`), listenerDied: false };
  }
  if (/probably died|bridge disposed|DisposedException|Existing listener not found|Unable to connect/i.test(stderr)) {
    return {
      error: new PluginError('conversion_failed', `LibreOffice stopped while converting the ${formatName(from)} (it was restarted): ${summary(stderr)}`),
      listenerDied: true,
    };
  }
  if (/during (import|import-style) phase|could not be opened|Source file cannot be read|type detection failed/i.test(stderr)) {
    return { error: new PluginError('invalid_input', `LibreOffice cannot read the input as ${formatName(from)}: ${summary(stderr)}`), listenerDied: false };
  }
  return {
    error: new PluginError('conversion_failed', `LibreOffice could not convert the ${formatName(from)} to ${formatName(to)}: ${summary(stderr)}`),
    listenerDied: false,
  };
}
