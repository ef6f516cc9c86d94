import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobDigest, digestFile, digestingStage } from './blob-digest.js';
import { blobKeySegments, InvalidBlobKeyError } from './blob-key.js';
import { openForStream } from './open-for-stream.js';
import type { BlobStore, BlobWriteOptions, BlobWriteResult } from './port.js';

/**
 * Where writes are staged before they are renamed into place. It sits under the root so that the
 * rename stays on one filesystem and is atomic; its leading dot keeps it apart from blob keys.
 */
const stagingFolderName = '.incoming';

/**
 * How much of a blob may wait to be written. The stream's default (16 KiB) is smaller than one
 * socket read, so each chunk waited for the write before it; with room for several, writes
 * overlap the upload's arrival and go out together in one writev.
 */
const writeBufferBytes = 2 ** 20;

/**
 * Blobs as files under one root folder: key `org/o1/f1` is the file `<root>/org/o1/f1`.
 * A write is staged in `<root>/.incoming` and renamed into place only once it is whole, so a
 * reader never sees a partial blob and a failed write leaves nothing behind.
 *
 * @example
 * const blobs = new LocalDiskBlobStore('./data/blobs');
 * const { size, sha256 } = await blobs.write('org/o1/f1', upload, { maxBytes: 100 * 2 ** 20 });
 */
export class LocalDiskBlobStore implements BlobStore {
  private readonly root: string;
  private readonly stagingFolder: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.stagingFolder = join(this.root, stagingFolderName);
  }

  async write(key: string, source: Readable, options: BlobWriteOptions = {}): Promise<BlobWriteResult> {
    const target = this.pathOf(key);
    return this.stageThenPlace(target, async (stagedPath) => {
      const digest = new BlobDigest(options.maxBytes);
      const file = await openForStream(source, () => inFolderOf(stagedPath, () => open(stagedPath, 'wx')));
      try {
        await pipeline(source, digestingStage(digest), file.createWriteStream({ highWaterMark: writeBufferBytes }));
      } finally {
        await file.close();
      }
      return digest.result();
    });
  }

  /**
   * Takes a finished local file in. On the same filesystem it is hard-linked (no bytes copied),
   * so the caller hands the file over and must not modify it afterwards; deleting it is fine.
   */
  async writeFile(key: string, path: string): Promise<BlobWriteResult> {
    const target = this.pathOf(key);
    return this.stageThenPlace(target, async (stagedPath) => {
      await inFolderOf(stagedPath, () => linkOrCopy(path, stagedPath));
      return digestFile(stagedPath);
    });
  }

  /**
   * Copies rather than links: a converter may write to its input, and that must never reach the
   * stored blob. COPYFILE_FICLONE still makes the copy a cheap copy-on-write clone where the
   * filesystem supports it (btrfs, XFS, APFS), and a plain copy elsewhere.
   */
  async downloadTo(key: string, path: string): Promise<void> {
    const source = this.pathOf(key);
    try {
      // Into a folder that is usually there already (a step's work folder): made only when missing.
      await inFolderOf(path, () => copyFile(source, path, constants.COPYFILE_FICLONE));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  localFile(key: string): string {
    return this.pathOf(key);
  }

  /** Streams the blob, or the inclusive byte range `start`–`end` of it (as in an HTTP Range). */
  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    if (range && !(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
      throw new RangeError(`invalid byte range ${range.start}-${range.end}`);
    }
    // Opening first makes a missing blob reject here rather than fail later inside the stream.
    const file = await open(this.pathOf(key), 'r');
    return file.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const stats = await stat(this.pathOf(key));
      // A key that names a folder (`org/o1` when `org/o1/f1` exists) is not a blob.
      return stats.isFile() ? stats.size : undefined;
    } catch (error) {
      if (isMissingFile(error)) return undefined;
      throw error;
    }
  }

  /** Deletes the blob; a blob that is already gone is fine. */
  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Resolves when a file can be created under the root; rejects with the reason otherwise. */
  async ping(): Promise<void> {
    await this.stageThenDiscard((stagedPath) => inFolderOf(stagedPath, () => writeFile(stagedPath, '')));
  }

  private pathOf(key: string): string {
    const segments = blobKeySegments(key);
    if (segments[0] === stagingFolderName) throw new InvalidBlobKeyError(key, `"${stagingFolderName}" is reserved`);
    const path = join(this.root, ...segments);
    // blobKeySegments already forbids `..`; this keeps the guarantee if its rules ever loosen.
    if (relative(this.root, path).startsWith(`..${sep}`)) throw new InvalidBlobKeyError(key, 'escapes the store root');
    return path;
  }

  /** Runs `fill` on a fresh staging path, then renames the result to `target`; on failure removes the staged file. */
  private async stageThenPlace(target: string, fill: (stagedPath: string) => Promise<BlobWriteResult>): Promise<BlobWriteResult> {
    const stagedPath = this.newStagedPath();
    try {
      const result = await fill(stagedPath);
      await inFolderOf(target, () => rename(stagedPath, target));
      return result;
    } catch (error) {
      // Once renamed there is nothing left to remove, so only a failed write looks.
      await rm(stagedPath, { force: true });
      throw error;
    }
  }

  /** Runs `work` on a fresh staging path and removes whatever is left there afterwards. */
  private async stageThenDiscard<T>(work: (stagedPath: string) => Promise<T>): Promise<T> {
    const stagedPath = this.newStagedPath();
    try {
      return await work(stagedPath);
    } finally {
      await rm(stagedPath, { force: true });
    }
  }

  /** A path in the staging folder; whoever creates the file there makes the folder when it is missing (see inFolderOf). */
  private newStagedPath(): string {
    return join(this.stagingFolder, randomUUID());
  }
}

/**
 * Runs `create`, which makes `path`; when that fails for want of the folder, makes the folder
 * and runs it once more. Most files go to folders that exist (the staging folder, an org's
 * files), so asking for the folder first cost a trip through the thread pool on nearly every
 * write for nothing; asking only after a miss still copes with a folder deleted meanwhile.
 */
async function inFolderOf<T>(path: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dirname(path), { recursive: true });
    return create();
  }
}

/** Hard-links `from` to `to`, or copies it when a link is impossible (another filesystem, no link support). */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
    await copyFile(from, to, constants.COPYFILE_FICLONE);
  }
}

function isMissingFile(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
