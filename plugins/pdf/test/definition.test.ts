import { describe, expect, it } from 'vitest';
import pdfPluginDefault, { pdfCapabilities, pdfPlugin } from '../src/index.js';

describe('pdf plugin definition', () => {
  it('is the default export and the named export, at version 0.1.0', () => {
    expect(pdfPluginDefault).toBe(pdfPlugin);
    expect(pdfPlugin.id).toBe('pdf');
    expect(pdfPlugin.version).toBe('0.1.0');
  });

  it('offers ten direct pairs, once each', () => {
    const pairs = pdfPlugin.capabilities.map((capability) => `${capability.from}->${capability.to}`);
    expect(pairs.sort()).toEqual(
      ['pdf->png', 'pdf->jpeg', 'pdf->webp', 'pdf->zip', 'pdf->txt', 'png->pdf', 'jpeg->pdf', 'webp->pdf', 'tiff->pdf', 'pdf->pdf'].sort(),
    );
  });

  it('publishes closed schemas, naming every preset param; text and images to PDF take no option', () => {
    for (const { from, to, options, presets } of pdfCapabilities(true)) {
      const names = Object.keys((options?.properties ?? {}) as object);
      expect(options?.additionalProperties, `${from} → ${to}`).toBe(false);
      for (const preset of presets ?? []) expect(names).toEqual(expect.arrayContaining(Object.keys(preset.params)));
      if (to === 'txt' || from !== 'pdf') expect(names, `${from} → ${to}`).toEqual([]);
    }
  });

  it('offers the linearize preset and option only with a linearizer', () => {
    const edit = (linearizable: boolean) => pdfCapabilities(linearizable).find((capability) => capability.to === 'pdf' && capability.from === 'pdf')!;
    expect(edit(true).presets).toEqual([{ id: 'linearize', label: expect.any(String), params: { linearize: true } }]);
    expect(edit(true).options?.properties).toHaveProperty('linearize');
    expect(edit(false).presets).toBeUndefined();
    expect(edit(false).options?.properties).not.toHaveProperty('linearize');
  });

  it('probes MuPDF and sharp successfully here', async () => {
    await expect(pdfPlugin.probe?.()).resolves.toEqual({ ok: true });
  });
});
