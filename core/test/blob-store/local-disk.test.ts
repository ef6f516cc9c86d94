import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidBlobKeyError } from '../../src/blob-store/blob-key.js';
import { LocalDiskBlobStore } from '../../src/blob-store/local-disk-blob-store.js';
import { runBlobStoreContract } from './contract.js';

const newRoot = () => mkdtemp(join(tmpdir(), 'conveyor-blobs-'));

runBlobStoreContract('local disk', async () => {
  const root = await newRoot();
  return {
    store: new LocalDiskBlobStore(root),
    stagedWrites: () => readdir(join(root, '.incoming')).catch(() => []),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describe('local-disk blob store', () => {
  let root: string;
  beforeEach(async () => {
    root = await newRoot();
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('keeps the blob for key org/o1/f1 at <root>/org/o1/f1', async () => {
    await new LocalDiskBlobStore(root).write('org/o1/f1', Readable.from([Buffer.from('bytes')]));
    expect(await readFile(join(root, 'org', 'o1', 'f1'), 'utf8')).toBe('bytes');
  });

  it('names the blob’s own file for reading in place, and refuses a key outside the store', async () => {
    const store = new LocalDiskBlobStore(root);
    await store.write('org/o1/f1', Readable.from([Buffer.from('bytes')]));
    expect(store.localFile('org/o1/f1')).toBe(join(root, 'org', 'o1', 'f1'));
    expect(await readFile(store.localFile('org/o1/f1'), 'utf8')).toBe('bytes');
    expect(() => store.localFile('../outside')).toThrow(InvalidBlobKeyError);
  });

  it('writes into folders that exist and makes the ones that do not, leaving nothing staged', async () => {
    const store = new LocalDiskBlobStore(root);
    await store.write('org/o1/files/f1', Readable.from([Buffer.from('first')]));
    await store.write('org/o1/files/f2', Readable.from([Buffer.from('second, beside it')]));
    await writeFile(join(root, 'made-elsewhere'), 'output');
    await store.writeFile('org/o1/jobs/j1/step-0', join(root, 'made-elsewhere'));
    expect(await readFile(join(root, 'org', 'o1', 'files', 'f2'), 'utf8')).toBe('second, beside it');
    expect(await readFile(join(root, 'org', 'o1', 'jobs', 'j1', 'step-0'), 'utf8')).toBe('output');
    expect(await readdir(join(root, '.incoming'))).toEqual([]);
  });

  it('makes the staging folder again when it was removed while the store was in use', async () => {
    const store = new LocalDiskBlobStore(root);
    await store.write('org/o1/files/f1', Readable.from([Buffer.from('first')]));
    await rm(join(root, '.incoming'), { recursive: true });
    await store.write('org/o1/files/f2', Readable.from([Buffer.from('after the removal')]));
    await rm(join(root, '.incoming'), { recursive: true });
    await writeFile(join(root, 'made-elsewhere'), 'output');
    await store.writeFile('org/o1/jobs/j1/step-0', join(root, 'made-elsewhere'));
    await rm(join(root, '.incoming'), { recursive: true });
    await store.ping();
    expect(await readFile(join(root, 'org', 'o1', 'files', 'f2'), 'utf8')).toBe('after the removal');
    expect(await readFile(join(root, 'org', 'o1', 'jobs', 'j1', 'step-0'), 'utf8')).toBe('output');
    expect(await readdir(join(root, '.incoming'))).toEqual([]);
  });

  it('fails to hand out a missing blob, and leaves no copy behind', async () => {
    const store = new LocalDiskBlobStore(root);
    const copy = join(root, 'work', 'step', 'input.png');
    await expect(store.downloadTo('org/o1/missing', copy)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(join(root, 'work', 'step'))).toEqual([]);
  });

  it('reserves the staging folder: no key may point into it', async () => {
    await expect(new LocalDiskBlobStore(root).size('.incoming/anything')).rejects.toBeInstanceOf(InvalidBlobKeyError);
  });

  it('fails ping when the root cannot hold files', async () => {
    const notAFolder = join(root, 'file');
    await writeFile(notAFolder, '');
    await expect(new LocalDiskBlobStore(notAFolder).ping()).rejects.toThrow();
  });
});
