import { afterEach, describe, expect, it } from 'vitest';
import { canLinearize, deletePages, linearizePdf, mergePdfs, pdfCapabilities, splitPdf } from '../src/index.js';
import { convert, expectPluginError } from './helpers.js';
import { makeTextPdf, pageTexts, removeWorkDirs } from './pdf-fixtures.js';

afterEach(removeWorkDirs);

const texts = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix} page ${index + 1}`);

describe('deleting pages', () => {
  it('deletes the pages given as a string, keeping the others in order', async () => {
    const input = await makeTextPdf(texts('Doc', 5));
    const { output } = await convert({ from: 'pdf', to: 'pdf', input, options: { delete_pages: '2,4' } });
    expect(pageTexts(output)).toEqual(['Doc page 1', 'Doc page 3', 'Doc page 5']);
  });

  it('deletes the pages given as an array, and ranges in a string', async () => {
    const input = await makeTextPdf(texts('Doc', 6));
    expect(pageTexts((await convert({ from: 'pdf', to: 'pdf', input, options: { delete_pages: [6, 1] } })).output)).toEqual(texts('Doc', 5).slice(1));
    expect(pageTexts((await convert({ from: 'pdf', to: 'pdf', input, options: { delete_pages: '2-5' } })).output)).toEqual(['Doc page 1', 'Doc page 6']);
  });

  it('refuses to delete every page', async () => {
    const input = await makeTextPdf();
    await expectPluginError(convert({ from: 'pdf', to: 'pdf', input, options: { delete_pages: '1,2,3' } }), 'invalid_parameter', /every page/);
  });

  it('refuses a page out of range', async () => {
    const input = await makeTextPdf();
    await expectPluginError(convert({ from: 'pdf', to: 'pdf', input, options: { delete_pages: [2, 9] } }), 'invalid_parameter', /page 9/);
  });

  it.each([['two'], ['0'], ['3-1'], [[]], [[1.5]], [5]])('refuses delete_pages %j', async (value) => {
    await expectPluginError(convert({ from: 'pdf', to: 'pdf', input: await makeTextPdf(), options: { delete_pages: value } }), 'invalid_parameter', /delete_pages/);
  });

  it('is exported as deletePages, taking bytes', async () => {
    const output = await deletePages(await makeTextPdf(texts('Doc', 3)), [1]);
    expect(pageTexts(output)).toEqual(['Doc page 2', 'Doc page 3']);
  });
});

describe('merging', () => {
  it('merges three files in the order given', async () => {
    const [first, second, third] = await Promise.all([makeTextPdf(texts('A', 2)), makeTextPdf(texts('B', 3)), makeTextPdf(texts('C', 1))]);
    const { output, progress } = await convert({ from: 'pdf', to: 'pdf', input: first!, additionalInputs: [second!, third!] });
    expect(pageTexts(output)).toEqual([...texts('A', 2), ...texts('B', 3), ...texts('C', 1)]);
    expect(progress.length).toBeGreaterThan(6);
  });

  it('deletes pages of the merged document after merging', async () => {
    const [first, second] = await Promise.all([makeTextPdf(texts('A', 2)), makeTextPdf(texts('B', 2))]);
    const { output } = await convert({ from: 'pdf', to: 'pdf', input: first!, additionalInputs: [second!], options: { delete_pages: '2,3' } });
    expect(pageTexts(output)).toEqual(['A page 1', 'B page 2']);
  });

  it('refuses more than 20 files', async () => {
    const one = await makeTextPdf(['x']);
    await expectPluginError(convert({ from: 'pdf', to: 'pdf', input: one, additionalInputs: Array.from({ length: 20 }, () => one) }), 'invalid_parameter', /2 to 20/);
  });

  it('holds the merged page count to limits.maxPages', async () => {
    const [first, second] = await Promise.all([makeTextPdf(texts('A', 3)), makeTextPdf(texts('B', 3))]);
    await expectPluginError(convert({ from: 'pdf', to: 'pdf', input: first!, additionalInputs: [second!], limits: { maxPages: 5 } }), 'limit_exceeded', /6 pages/);
  });

  it('is exported as mergePdfs, which wants 2 to 20 files', async () => {
    const [first, second] = await Promise.all([makeTextPdf(texts('A', 1)), makeTextPdf(texts('B', 1))]);
    expect(pageTexts(await mergePdfs([second!, first!]))).toEqual(['B page 1', 'A page 1']);
    await expectPluginError(mergePdfs([first!]), 'invalid_parameter', /2 to 20/);
  });
});

describe('splitting', () => {
  it('is pdf → zip by default, and splitPdf gives the same one-page PDFs', async () => {
    const pages = await splitPdf(await makeTextPdf(texts('S', 4)));
    expect(pages.map(pageTexts)).toEqual(texts('S', 4).map((text) => [text]));
  });
});

describe('linearizing', () => {
  it('is offered, and works, exactly where a linearizer is installed', async () => {
    const pdfToPdf = pdfCapabilities().find((capability) => capability.from === 'pdf' && capability.to === 'pdf')!;
    const properties = pdfToPdf.options?.properties as Record<string, unknown>;
    const input = await makeTextPdf();
    if (canLinearize()) {
      expect(pdfToPdf.presets?.map((preset) => [preset.id, preset.params])).toEqual([['linearize', { linearize: true }]]);
      expect(properties).toHaveProperty('linearize');
      const { output } = await convert({ from: 'pdf', to: 'pdf', input, options: { linearize: true } });
      // A linearized file's first object is its linearization dictionary.
      const head = Buffer.from(output.subarray(0, 1024)).toString('latin1');
      expect(head).toMatch(/^%PDF-[\d.]+[\s\S]*?\d+ 0 obj\s*<<[^>]*\/Linearized/);
      expect(pageTexts(await linearizePdf(input))).toEqual(pageTexts(input));
    } else {
      expect(pdfToPdf.presets).toBeUndefined();
      expect(properties).not.toHaveProperty('linearize');
      await expectPluginError(convert({ from: 'pdf', to: 'pdf', input, options: { linearize: true } }), 'invalid_parameter', /qpdf/);
      await expectPluginError(linearizePdf(input), 'invalid_parameter', /qpdf/);
    }
  });

  it('refuses a linearize that is not a boolean', async () => {
    await expectPluginError(convert({ from: 'pdf', to: 'pdf', input: await makeTextPdf(), options: { linearize: 'yes' } }), 'invalid_parameter', /linearize/);
  });
});

describe('the pdf template', () => {
  it('is a valid one-page PDF, the same bytes every time', async () => {
    const { pdfPlugin } = await import('../src/index.js');
    const template = await pdfPlugin.template!('pdf');
    expect(template).toBeDefined();
    expect(pageTexts(template!)).toEqual(['Conveyor sample PDF']);
    expect(await pdfPlugin.template!('pdf')).toEqual(template);
    expect(await pdfPlugin.template!('png')).toBeUndefined();
  });
});
