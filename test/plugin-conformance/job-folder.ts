import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** What a folder held at one moment: every path under it, and a digest of the input. */
export interface FolderSnapshot {
  paths: string[];
  inputSha256: string | undefined;
}

const temporaryDirectoryVariables = ['TMPDIR', 'TMP', 'TEMP'] as const;

/**
 * A fresh folder for one conversion, laid out like the worker's (`job/input.<from>`,
 * `job/output.<to>`), with a `tmp/` beside it that stands in for the system's temporary
 * directory while the plugin runs: a temporary file left behind there is a write outside
 * `outputPath` too.
 */
export class JobFolder {
  private constructor(
    readonly root: string,
    readonly inputPath: string,
    readonly outputPath: string,
    private readonly temporaryDirectory: string,
  ) {}

  static async create(from: string, to: string, input: Uint8Array): Promise<JobFolder> {
    const root = await mkdtemp(join(tmpdir(), 'conveyor-conformance-'));
    await mkdir(join(root, 'job'));
    await mkdir(join(root, 'tmp'));
    const folder = new JobFolder(root, join(root, 'job', `input.${from}`), join(root, 'job', `output.${to}`), join(root, 'tmp'));
    await writeFile(folder.inputPath, input);
    return folder;
  }

  get outputRelativePath(): string {
    return relative(this.root, this.outputPath);
  }

  async snapshot(): Promise<FolderSnapshot> {
    const paths = (await readdir(this.root, { recursive: true })).sort();
    const input = await readFile(this.inputPath).catch(() => undefined);
    return { paths, inputSha256: input && createHash('sha256').update(input).digest('hex') };
  }

  /**
   * Starts noting every entry created, renamed or removed in the job folder and the temporary
   * directory; `stop()` ends the watch and returns the names seen, as relative paths.
   */
  watchChanges(): { stop(): string[] } {
    const changed = new Set<string>();
    const watchers = ['job', 'tmp'].map((folder) =>
      watch(join(this.root, folder), (_event, name) => changed.add(name ? join(folder, name.toString()) : folder)),
    );
    return {
      stop: () => {
        for (const watcher of watchers) watcher.close();
        return [...changed].sort();
      },
    };
  }

  /**
   * Runs `work` with the temporary-directory variables pointing into this folder. The
   * environment is process-wide, which is why the suite's tests within a file run one at a time.
   */
  async withTemporaryDirectory<T>(work: () => Promise<T>): Promise<T> {
    const saved = temporaryDirectoryVariables.map((name) => [name, process.env[name]] as const);
    for (const name of temporaryDirectoryVariables) process.env[name] = this.temporaryDirectory;
    try {
      return await work();
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
