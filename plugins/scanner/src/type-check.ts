import { formatFromFileName, signatureAgrees, sniffFormat } from '@conveyor/contracts';
import { executableKind } from './executables.js';
import { rejected, type Finding } from './verdicts.js';

/** Enough of the head to reach a PE header in any ordinary DOS stub. */
export const typeHeadLength = 1024;

/**
 * The file's first bytes must show the format it is handled as, and the format its name
 * claims: the ingress decided from the same bytes by the same signatures (the contracts'), and
 * this holds it to that independently, from the stored file.
 */
export function checkDeclaredType(head: Buffer, format: string, fileName: string): Finding {
  const executable = executableKind(head);
  if (executable) return rejected(`the file is a ${executable} executable`);
  const sniffed = sniffFormat(head);
  const shown = sniffed ?? 'no known signature';
  if (!signatureAgrees(format, sniffed)) return rejected(`the content (${shown}) does not match the declared format ${format}`);
  const named = formatFromFileName(fileName);
  if (named !== undefined && !signatureAgrees(named, sniffed)) return rejected(`the content (${shown}) does not match the file name ${JSON.stringify(fileName)}`);
  return undefined;
}

