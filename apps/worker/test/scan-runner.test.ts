import { readdir, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { defineScanner, type EventEnvelope, type ScanContext, type ScanFileTask } from '@conveyor/contracts';
import {
  CommandHandler,
  fileAggregate,
  LocalDiskBlobStore,
  randomIds,
  SqlEventLog,
  subjects,
  systemClock,
  type EventLog,
} from '@conveyor/core';
import { pino } from 'pino';
import type { BlobStore } from '@conveyor/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScanRunner } from '../src/scan-runner.js';
import { roomyLimits, runnerFixture, taskDelivery, type RunnerFixture } from './support/runner-fixture.js';

describe('scan runner', () => {
  let fixture: RunnerFixture;
  let log: SqlEventLog;
  let blobs: LocalDiskBlobStore;

  beforeEach(async () => {
    fixture = await runnerFixture('scan-runner');
    ({ log, blobs } = fixture);
  });

  afterEach(() => fixture.close());

  /** An uploaded file, stored and registered; answers its scan task. */
  async function uploadedFile(): Promise<ScanFileTask['data']> {
    const fileId = randomIds.next();
    const blobKey = `org/org1/files/${fileId}`;
    const stored = await blobs.write(blobKey, Readable.from([Buffer.from('plain text')]));
    await new CommandHandler(log, systemClock).handle(
      fileAggregate,
      { aggregateId: fileId, orgId: 'org1', commandId: randomIds.next(), correlationId: null },
      {
        type: 'RegisterUpload',
        data: { blob_key: blobKey, size: stored.size, sha256: stored.sha256, format: 'txt', mime: 'text/plain', name: 'a.txt', visibility: 'private', uploaded_at: new Date().toISOString(), source: { kind: 'upload' } },
      },
    );
    return { org_id: 'org1', file_id: fileId, blob_key: blobKey, format: 'txt', name: 'a.txt', size: stored.size };
  }

  /** A scanner that reads the file and calls it clean, counting its scans; `beforeVerdict` runs first. */
  function countingScanner(beforeVerdict: () => Promise<void> = async () => {}) {
    const scanned: string[] = [];
    const scanner = defineScanner({
      id: 'counting',
      version: '1.0.0',
      async scan(ctx: ScanContext) {
        scanned.push(await readFile(ctx.inputPath, 'utf8'));
        await beforeVerdict();
        return { verdict: 'clean', engine: 'counting', reason: '' };
      },
    });
    return { scanner, scanned };
  }

  const delivery = (deliveryCount: number) => taskDelivery(subjects.scanTask, deliveryCount);

  /** A scanner that notes where it was given the file, and what the work folder held meanwhile. */
  function placeNotingScanner() {
    const seen: Array<{ inputPath: string; content: string; workFolder: string[] }> = [];
    const scanner = defineScanner({
      id: 'noting',
      version: '1.0.0',
      async scan(ctx: ScanContext) {
        seen.push({ inputPath: ctx.inputPath, content: await readFile(ctx.inputPath, 'utf8'), workFolder: await readdir(fixture.workDir) });
        return { verdict: 'clean', engine: 'noting', reason: '' };
      },
    });
    return { scanner, seen };
  }

  const runner = (scanner: ReturnType<typeof countingScanner>['scanner'], eventLog: EventLog = log, store: BlobStore = blobs) =>
    new ScanRunner(new CommandHandler(eventLog, systemClock), store, scanner, { workDir: fixture.workDir, limits: roomyLimits, ackWaitMs: 30_000, maxUploadBytes: 1e9, maxExpansionRatio: 100 }, pino({ level: 'silent' }));

  const verdicts = async (fileId: string) =>
    (await log.readSubject('events', subjects.event('file', fileId))).map((m) => m.payload as EventEnvelope).filter((e) => e.type === 'FileScanned');

  it('starts scanning a first delivery while it reads the file’s events, and records the verdict', async () => {
    const task = await uploadedFile();
    // The file's events arrive only once the scan has begun: a runner that read them first would wait forever.
    let scanBegun!: () => void;
    const begun = new Promise<void>((resolve) => (scanBegun = resolve));
    const { scanner, scanned } = countingScanner(async () => scanBegun());
    const slowReads = new Proxy(log, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'readSubject') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<SqlEventLog['readSubject']>) => {
          await begun;
          return target.readSubject(...args);
        };
      },
    });
    await runner(scanner, slowReads).run(task, delivery(1));
    expect(scanned).toEqual(['plain text']);
    const [verdict] = await verdicts(task.file_id);
    expect(verdict?.data).toMatchObject({ verdict: 'clean', engine: 'counting' });
  });

  it('does not scan a redelivered task again once its file has a verdict', async () => {
    const task = await uploadedFile();
    const first = countingScanner();
    await runner(first.scanner).run(task, delivery(1));
    const again = countingScanner();
    await runner(again.scanner).run(task, delivery(2));
    expect(again.scanned).toEqual([]);
    expect(await verdicts(task.file_id)).toHaveLength(1);
  });

  it('records one verdict when a first delivery finds the file scanned already', async () => {
    const task = await uploadedFile();
    await runner(countingScanner().scanner).run(task, delivery(1));
    const again = countingScanner();
    await runner(again.scanner).run(task, delivery(1));
    expect(again.scanned).toEqual(['plain text']);
    expect(await verdicts(task.file_id)).toHaveLength(1);
  });

  it('scans a blob kept as a local file where it lies, without a work folder', async () => {
    const task = await uploadedFile();
    const { scanner, seen } = placeNotingScanner();
    await runner(scanner).run(task, delivery(1));
    expect(seen).toEqual([{ inputPath: blobs.localFile(task.blob_key), content: 'plain text', workFolder: [] }]);
  });

  it('copies a blob the store does not keep as a local file into a work folder, removed afterwards', async () => {
    const task = await uploadedFile();
    const remote = new Proxy(blobs, {
      get(target, property, receiver) {
        if (property === 'localFile') return () => undefined;
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { scanner, seen } = placeNotingScanner();
    await runner(scanner, log, remote).run(task, delivery(1));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.inputPath.startsWith(fixture.workDir)).toBe(true);
    expect(seen[0]!.inputPath.endsWith('.txt')).toBe(true);
    expect(seen[0]!.content).toBe('plain text');
    expect(seen[0]!.workFolder).toHaveLength(1);
    expect(await readdir(fixture.workDir)).toEqual([]);
  });
});
