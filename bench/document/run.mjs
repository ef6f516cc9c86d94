#!/usr/bin/env node
// Conveyor document benchmark: DOCX → PDF through the document plugin's warm LibreOffice pool,
// against a cold `soffice --headless --convert-to pdf` with a fresh profile each time (what a
// user without Conveyor runs), in the same run on the same document.
// Needs the built plugin (plugins/document/dist: `npm run build`) and LibreOffice + unoconv.
// Usage: node bench/document/run.mjs [runs]   (default 10 of each)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const runs = Number(process.argv[2] ?? 10);
const soffice = process.env.CONVEYOR_BENCH_SOFFICE ?? '/usr/bin/soffice';
const pluginEntry = new URL('../../plugins/document/dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(pluginEntry))) {
  console.error('plugins/document is not built: run `npm run build` (or `npx tsc -p plugins/document/tsconfig.json`)');
  process.exit(1);
}
const { documentPlugin, shutdownOfficePool } = await import(pluginEntry.href);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fixed = (value) => value.toFixed(1);

const limits = { maxPixels: 1e8, timeoutMs: 120_000, maxDurationSeconds: 3600, maxPages: 10_000, maxDecompressedBytes: 512 * 1024 * 1024 };
const quiet = () => undefined;
const convert = (inputPath, outputPath, from, to) =>
  documentPlugin.convert({
    inputPath,
    outputPath,
    from,
    to,
    options: {},
    signal: new AbortController().signal,
    progress: quiet,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    limits,
  });

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr}`))));
  });
}

const work = await mkdtemp(join(tmpdir(), 'conveyor-bench-document-'));
try {
  // The document: a few pages of text with headings, made DOCX by the plugin itself.
  const paragraphs = Array.from({ length: 120 }, (_, index) => `Paragraph ${index + 1}: the quick brown fox jumps over the lazy dog, twice, to fill a line or two of text.`);
  await writeFile(join(work, 'source.txt'), paragraphs.join('\n\n'));
  const docx = join(work, 'input.docx');
  await convert(join(work, 'source.txt'), docx, 'txt', 'docx');
  const docxBytes = (await stat(docx)).size;

  // One untimed conversion, as a host's probe would do: the pool is warm from then on.
  await convert(docx, join(work, 'warmup.pdf'), 'docx', 'pdf');
  const warm = [];
  for (let index = 0; index < runs; index++) {
    const output = join(work, `warm-${index}.pdf`);
    const started = performance.now();
    await convert(docx, output, 'docx', 'pdf');
    warm.push(performance.now() - started);
    if (!(await readFile(output)).subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new Error('the warm pool wrote something that is not a PDF');
  }
  await shutdownOfficePool();

  const cold = [];
  for (let index = 0; index < runs; index++) {
    const profile = join(work, `profile-${index}`);
    const outdir = join(work, `cold-${index}`);
    const started = performance.now();
    await run(soffice, [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--convert-to', 'pdf', '--outdir', outdir, docx]);
    cold.push(performance.now() - started);
    if (!(await readFile(join(outdir, 'input.pdf'))).subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new Error('soffice wrote something that is not a PDF');
    await rm(profile, { recursive: true, force: true });
  }

  const warmMedian = median(warm);
  const coldMedian = median(cold);
  const report = [
    '# Conveyor document benchmark: DOCX → PDF, warm pool vs cold soffice',
    '',
    `- date: ${new Date().toISOString()}`,
    `- node: ${process.version}; CPUs: ${cpus().length}; memory: ${Math.round(totalmem() / 2 ** 30)} GiB`,
    `- document: ${paragraphs.length} paragraphs of text, ${docxBytes} bytes of DOCX; ${runs} runs of each, one at a time`,
    '',
    '| run | median ms | min ms | max ms |',
    '|---|---:|---:|---:|',
    `| warm pool (document plugin: unoconv → running soffice.bin) | ${fixed(warmMedian)} | ${fixed(Math.min(...warm))} | ${fixed(Math.max(...warm))} |`,
    `| cold \`soffice --headless --convert-to pdf\`, fresh profile each time | ${fixed(coldMedian)} | ${fixed(Math.min(...cold))} | ${fixed(Math.max(...cold))} |`,
    '',
    `cold ÷ warm median: ${(coldMedian / warmMedian).toFixed(2)}×`,
  ].join('\n');
  console.log(report);
  // Kept beside the pipeline's bench/RESULTS.md, which that run rewrites whole.
  await writeFile(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), `${report}\n`);
} finally {
  await shutdownOfficePool();
  await rm(work, { recursive: true, force: true });
}
