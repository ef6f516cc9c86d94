import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api-client.js';
import { ConveyorProcess, freePort, waitForHealthy } from './support/conveyor-process.js';

/** The EICAR anti-virus test file: harmless, and recognised as malware by design. */
const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** A JPEG as a phone writes it: GPS position, the owner's name, the camera, a colour profile. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#4477aa' } })
    .withIccProfile('srgb')
    .withExif({
      IFD0: { Artist: 'Ada Lovelace', Make: 'Google', Model: 'Pixel 9', Software: 'HDR+ 1.0' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
}

describe('scanning and metadata, end to end over HTTP (embedded deployment)', () => {
  let dataDir: string;
  let server: ConveyorProcess;
  let api: ApiClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'conveyor-e2e-inspection-'));
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

  async function submit(bytes: Uint8Array, name: string, target: string): Promise<Record<string, unknown>> {
    const response = await api.convert(bytes, name, target);
    expect(response.status, await response.clone().text()).toBe(202);
    const accepted = (await response.json()) as Record<string, unknown>;
    api.orgId ||= accepted.org_id as string;
    return accepted;
  }

  /** Polls `path` until `done` holds of its body. */
  async function until(path: string, done: (body: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status, body } = await api.get(path);
      if (status === 200 && done(body)) return body;
      if (Date.now() > deadline) throw new Error(`${path} never got there: ${status} ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('fails the conversion of an EICAR upload with file_infected and quarantines the file (410)', async () => {
    const accepted = await submit(Buffer.from(eicar), 'notes.txt', 'pdf');
    const job = await api.waitForJob(api.orgId, accepted.id as string);
    expect(job).toMatchObject({ status: 'failed', error_code: 'file_infected' });
    expect(String(job.error_message)).toContain('EICAR');
    const file = await api.get(`/api/files/${api.orgId}/${accepted.file_id as string}`);
    expect(file.body.status).toBe('quarantined');
    const download = await api.download(api.orgId, accepted.file_id as string);
    expect(download.status).toBe(410);
    expect(((await download.json()) as { error: { code: string } }).error.code).toBe('file_infected');
  });

  it('refuses a ZIP named as a PNG at the door with invalid_file_type', async () => {
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(60)]);
    const response = await api.convert(zip, 'photo.png', 'webp');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_file_type');
  });

  it('reads a photo’s metadata when first asked, anonymizes it in place, and keeps orientation and colour profile', async () => {
    const accepted = await submit(await phonePhoto(), 'holiday.jpg', 'webp');
    const converted = await api.waitForJob(api.orgId, accepted.id as string);
    expect(converted.status).toBe('completed');
    const fileId = accepted.file_id as string;
    const before = await until(`/api/files/${api.orgId}/${fileId}/metadata`, () => true);
    expect(before.containers).toEqual(expect.arrayContaining(['EXIF']));
    expect(before.common).toMatchObject({ author: 'Ada Lovelace', gps: { latitude: expect.closeTo(48.85, 1), longitude: expect.closeTo(2.35, 1) } });

    const write = await fetch(`${api.baseUrl}/api/files/${api.orgId}/${fileId}/metadata`, {
      method: 'POST',
      headers: { ...api.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ anonymize: true }),
    });
    expect(write.status).toBe(202);
    const after = await until(`/api/files/${api.orgId}/${fileId}/metadata`, (body) => body.version === 2);
    expect(after.write).toMatchObject({ status: 'completed', as_copy: false, file_id: fileId });
    const common = after.common as Record<string, unknown>;
    expect(common.gps).toBeUndefined();
    expect(common.author).toBeUndefined();
    expect(common.software).toBeUndefined();

    // The bytes served are the rewritten ones: probe them directly.
    const bytes = Buffer.from(await (await api.download(api.orgId, fileId)).arrayBuffer());
    const metadata = await sharp(bytes).metadata();
    expect(metadata.orientation).toBe(6);
    expect(metadata.icc?.length ?? 0).toBeGreaterThan(0);
    expect(bytes.toString('latin1')).not.toContain('Ada Lovelace');
  });

  it('drops the metadata of a conversion’s output unless preserve_metadata is asked for', async () => {
    const photo = await phonePhoto();
    const plain = await api.waitForJob(api.orgId, (await submit(photo, 'a.jpg', 'png')).id as string);
    const kept = await api.convert(photo, 'b.jpg', 'png', { preserve_metadata: true });
    const keptJob = await api.waitForJob(api.orgId, ((await kept.json()) as { id: string }).id);
    const plainBytes = Buffer.from(await (await api.download(api.orgId, plain.output_file_id as string)).arrayBuffer());
    const keptBytes = Buffer.from(await (await api.download(api.orgId, keptJob.output_file_id as string)).arrayBuffer());
    expect((await sharp(plainBytes).metadata()).exif).toBeUndefined();
    expect((await sharp(keptBytes).metadata()).exif?.toString('latin1')).toContain('Ada Lovelace');
  });
});
