import { formatFromFileName, sniffHeadLength, type Format } from '@conveyor/contracts';
import { detectFormat } from '@conveyor/core';
import { expect } from 'vitest';

/**
 * The output is what the ingress would recognise as `to` from its content and name: a PNG
 * signature for `png`, no foreign signature for a text or plugin-introduced format. A format
 * that neither the ingress nor the plugin knows by an extension has nothing to check against.
 */
export function expectRecognisedAs(output: Uint8Array, to: string, declaredFormats: readonly Format[], conversion: string): void {
  const extension = declaredFormats.find((format) => format.id === to)?.extensions[0] ?? (formatFromFileName(`output.${to}`) === to ? to : undefined);
  if (extension === undefined) return;
  const detection = detectFormat(output.subarray(0, sniffHeadLength), `output.${extension}`, declaredFormats);
  expect(detection, `${conversion}: the output does not look like ${to}`).toMatchObject({ outcome: 'detected', format: to });
}
