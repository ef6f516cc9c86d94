import type { ScanVerdict } from '@conveyor/contracts';

/** A check's finding: undefined when it saw nothing wrong. */
export type Finding = ScanVerdict | undefined;

export function rejected(reason: string, engine = 'builtin'): ScanVerdict {
  return { verdict: 'rejected', engine, reason };
}

export function infected(reason: string, engine = 'builtin'): ScanVerdict {
  return { verdict: 'infected', engine, reason };
}

export function clean(engines: readonly string[]): ScanVerdict {
  return { verdict: 'clean', engine: engines.join('+'), reason: '' };
}
