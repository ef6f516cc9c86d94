import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api-client.js';
import { ConveyorProcess, freePort, waitForHealthy } from './support/conveyor-process.js';

const run = promisify(execFile);

/** A PDF of one page per label, each page showing its label. */
async function labelledPdf(labels: string[]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const label of labels) document.addPage([300, 200]).drawText(label, { x: 40, y: 100, size: 24, font });
  return document.save();
}

/** One second of a 440 Hz tone as 16-bit mono PCM WAV. */
function toneWav(seconds = 1, sampleRate = 8000): Buffer {
  const samples = seconds * sampleRate;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / sampleRate) * 12000), 44 + i * 2);
  return wav;
}

describe('the first-party plugins, end to end over HTTP (embedded deployment)', () => {
  let dataDir: string;
  let server: ConveyorProcess;
  let api: ApiClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'conveyor-e2e-plugins-'));
    const port = await freePort();
    server = new ConveyorProcess('start', { DATA_DIR: dataDir, PORT: String(port) });
    await waitForHealthy(`http://127.0.0.1:${port}`, server);
    api = new ApiClient(`http://127.0.0.1:${port}`);
    await api.startSession();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Submits a conversion, waits for it to complete, and answers the output's bytes. */
  async function convert(bytes: Uint8Array, name: string, target: string, options?: Record<string, unknown>): Promise<Buffer> {
    const response = await api.convert(bytes, name, target, options);
    expect(response.status, await response.clone().text()).toBe(202);
    return finish((await response.json()) as Record<string, unknown>);
  }

  async function finish(accepted: Record<string, unknown>): Promise<Buffer> {
    api.orgId ||= accepted.org_id as string;
    const job = await api.waitForJob(api.orgId, accepted.id as string, 90_000);
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'completed', progress_pct: 100 });
    const download = await api.download(api.orgId, job.output_file_id as string);
    expect(download.status).toBe(200);
    return Buffer.from(await download.arrayBuffer());
  }

  async function pageCount(pdf: Uint8Array): Promise<number> {
    return (await PDFDocument.load(pdf)).getPageCount();
  }

  it('offers at least 120 direct pairs and 300 pairs within two hops, from every first-party plugin', async () => {
    const { status, body } = await api.get<{ direct_pairs: number; reachable_pairs_within_two_hops: number; edges: Array<{ plugin: string }> }>('/api/convert/formats');
    expect(status).toBe(200);
    expect(body.direct_pairs).toBeGreaterThanOrEqual(120);
    expect(body.reachable_pairs_within_two_hops).toBeGreaterThanOrEqual(300);
    expect(new Set(body.edges.map((edge) => edge.plugin))).toEqual(new Set(['image', 'media', 'document', 'pdf', 'data']));
  });

  it('turns CSV into JSON records keyed by the header row', async () => {
    const json = await convert(Buffer.from('name,city\nAda,London\nGrace,Arlington\n'), 'people.csv', 'json');
    expect(JSON.parse(json.toString('utf8'))).toEqual([
      { name: 'Ada', city: 'London' },
      { name: 'Grace', city: 'Arlington' },
    ]);
  });

  it('refuses an option the conversion does not name with 400 invalid_parameter, before any job exists', async () => {
    const csv = Buffer.from('name;city\nAda;London\n');
    const refusals: Array<[string, string, Record<string, unknown>, string]> = [
      ['people.csv', 'json', { delimeter: ';' }, 'options.delimeter: not an option of csv → json conversions'],
      ['people.csv', 'pdf', { pdf_profile: 'pdfa' }, 'options.pdf_profile: not an option of csv → pdf conversions'],
      ['people.csv', 'txt', { dpi: 300 }, 'options.dpi: not an option of pdf → txt conversions'],
    ];
    for (const [name, target, options, message] of refusals) {
      const response = await api.convert(csv, name, target, options);
      expect(response.status, `${target} ${JSON.stringify(options)}`).toBe(400);
      expect(await response.json()).toEqual({ error: { code: 'invalid_parameter', message } });
    }
    const json = await convert(csv, 'people.csv', 'json', { delimiter: ';' });
    expect(JSON.parse(json.toString('utf8'))).toEqual([{ name: 'Ada', city: 'London' }]);
  });

  it('turns WAV into MP3 of the same length', async () => {
    const mp3 = await convert(toneWav(), 'tone.wav', 'mp3', { bitrate: 64 });
    const probeFolder = await mkdtemp(join(tmpdir(), 'conveyor-e2e-probe-'));
    try {
      await writeFile(join(probeFolder, 'out.mp3'), mp3);
      const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', join(probeFolder, 'out.mp3')]);
      const probed = JSON.parse(stdout) as { streams: Array<{ codec_name: string }>; format: { duration: string } };
      expect(probed.streams[0]?.codec_name).toBe('mp3');
      expect(Number(probed.format.duration)).toBeCloseTo(1, 0);
    } finally {
      await rm(probeFolder, { recursive: true, force: true });
    }
  });

  it('renders a text document to a PNG through LibreOffice and the PDF renderer (two hops)', async () => {
    const docx = await convert(Buffer.from('Quarterly report\n\nEverything went well.\n'), 'report.txt', 'docx');
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    const png = await convert(docx, 'report.docx', 'png');
    const metadata = await sharp(png).metadata();
    expect(metadata.format).toBe('png');
    expect(metadata.width).toBeGreaterThan(100);
  });

  it('merges three PDFs in the order sent, and deletes pages from one', async () => {
    const parts = await Promise.all([labelledPdf(['one']), labelledPdf(['two', 'three']), labelledPdf(['four'])]);
    const response = await api.postFiles('/api/pdf/merge', parts.map((bytes, index) => ({ field: 'files[]', name: `part-${index + 1}.pdf`, bytes })));
    expect(response.status, await response.clone().text()).toBe(202);
    const merged = await finish((await response.json()) as Record<string, unknown>);
    expect(await pageCount(merged)).toBe(4);
    const text = await convert(merged, 'merged.pdf', 'txt');
    const order = ['one', 'two', 'three', 'four'].map((label) => text.toString('utf8').indexOf(label));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    const trimmed = await api.postFiles('/api/pdf/delete-pages', [{ field: 'file', name: 'merged.pdf', bytes: merged }], { pages: '2,3' });
    expect(trimmed.status, await trimmed.clone().text()).toBe(202);
    const remaining = await finish((await trimmed.json()) as Record<string, unknown>);
    expect(await pageCount(remaining)).toBe(2);
  });
});
