import { afterEach, describe, expect, it } from 'vitest';
import { convert, expectPluginError } from './helpers.js';
import { encryptPdf, makeFlateBombPdf, makeRunLengthPdf, makeTextPdf, pageTexts, removeWorkDirs, samplePageTexts } from './pdf-fixtures.js';

afterEach(removeWorkDirs);

const mebibyte = 1024 * 1024;

describe('limits', () => {
  it('refuses a PDF with more pages than limits.maxPages', async () => {
    await expectPluginError(convert({ from: 'pdf', to: 'txt', input: await makeTextPdf(), limits: { maxPages: 2 } }), 'limit_exceeded', /3 pages/);
  });

  it('refuses a Flate stream that inflates past limits.maxDecompressedBytes, promptly', async () => {
    const bomb = await makeFlateBombPdf(64 * mebibyte);
    expect(bomb.length).toBeLessThan(200_000);
    const started = performance.now();
    await expectPluginError(convert({ from: 'pdf', to: 'png', input: bomb, limits: { maxDecompressedBytes: 16 * mebibyte } }), 'limit_exceeded', /expands to more than/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('sees through an ASCIIHex wrapping around the Flate data', async () => {
    const bomb = await makeFlateBombPdf(32 * mebibyte, true);
    await expectPluginError(convert({ from: 'pdf', to: 'txt', input: bomb, limits: { maxDecompressedBytes: 8 * mebibyte } }), 'limit_exceeded', /expands/);
  });

  it('measures streams under other filters too (RunLength, decoded by MuPDF)', async () => {
    const limits = { maxDecompressedBytes: 2 * mebibyte };
    // 8192 runs of 128 bytes: 1 MiB decoded, which fits; 32768 runs (4 MiB) do not.
    await expect(convert({ from: 'pdf', to: 'txt', input: await makeRunLengthPdf(8192), limits })).resolves.toBeDefined();
    await expectPluginError(convert({ from: 'pdf', to: 'txt', input: await makeRunLengthPdf(32_768), limits }), 'limit_exceeded', /expands/);
  });

  it('counts the streams of every merged input against one budget', async () => {
    const bomb = await makeFlateBombPdf(6 * mebibyte);
    const limits = { maxDecompressedBytes: 10 * mebibyte };
    // One such file fits the budget; two together do not.
    await expect(convert({ from: 'pdf', to: 'pdf', input: bomb, limits })).resolves.toBeDefined();
    await expectPluginError(convert({ from: 'pdf', to: 'pdf', input: bomb, additionalInputs: [bomb], limits }), 'limit_exceeded', /input 2/);
  });
});

describe('password protection and damage', () => {
  it('refuses a PDF that needs a password to open as invalid_input', async () => {
    const locked = encryptPdf(await makeTextPdf(), 'user-secret');
    await expectPluginError(convert({ from: 'pdf', to: 'txt', input: locked }), 'invalid_input', /the PDF is password-protected/);
    await expectPluginError(convert({ from: 'pdf', to: 'pdf', input: await makeTextPdf(), additionalInputs: [locked] }), 'invalid_input', /input 2 is password-protected/);
  });

  it('converts a PDF encrypted with an owner password only, which opens without one', async () => {
    const restricted = encryptPdf(await makeTextPdf(), undefined);
    const { output } = await convert({ from: 'pdf', to: 'txt', input: restricted });
    expect(new TextDecoder().decode(output).split('\f').map((page) => page.trim())).toEqual(samplePageTexts);
    const trimmed = await convert({ from: 'pdf', to: 'pdf', input: restricted, options: { delete_pages: '1' } });
    expect(pageTexts(trimmed.output)).toEqual(samplePageTexts.slice(1));
  });

  it('refuses bytes that are not a PDF as invalid_input', async () => {
    await expectPluginError(convert({ from: 'pdf', to: 'png', input: new TextEncoder().encode('no PDF here, just text') }), 'invalid_input', /not a readable PDF/);
  });

  it('refuses a PDF cut short before its first page as invalid_input', async () => {
    const whole = await makeTextPdf();
    await expectPluginError(convert({ from: 'pdf', to: 'zip', input: whole.subarray(0, 40) }), 'invalid_input');
  });

  it('keeps every page of a PDF whose cross-reference table is damaged, as MuPDF repairs it', async () => {
    const whole = Buffer.from(await makeTextPdf());
    const damaged = Buffer.from(whole.toString('latin1').replace(/startxref\s+\d+/, 'startxref\n999999'), 'latin1');
    const { output } = await convert({ from: 'pdf', to: 'pdf', input: damaged });
    expect(pageTexts(output)).toEqual(samplePageTexts);
  });
});
