import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginLogger, ScanContext, ScannerDefinition, ScanVerdict } from '@conveyor/contracts';
import { afterAll } from 'vitest';
import { createScanner } from '../src/index.js';

export const testLimits: ScanContext['limits'] = {
  maxPixels: 50_000_000,
  timeoutMs: 30_000,
  maxDurationSeconds: 600,
  maxPages: 100,
  maxDecompressedBytes: 200 * 1024 * 1024,
  maxBytes: 100 * 1024 * 1024,
  maxExpansionRatio: 100,
};

/** The built-in checks alone: no clamd, whatever the environment running the tests says. */
export const builtinScanner = createScanner({});

/** A folder for the test file's fixtures, removed after its tests. */
export function fixtureFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'conveyor-scanner-test-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

let counter = 0;

export function writeFixture(folder: string, fileName: string, bytes: Uint8Array): string {
  const path = join(folder, `${++counter}-${fileName}`);
  writeFileSync(path, bytes);
  return path;
}

export interface LogEntry {
  level: string;
  message: string;
}

export function collectingLogger(entries: LogEntry[]): PluginLogger {
  const record = (level: string) => (message: string) => void entries.push({ level, message });
  return { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

export interface ScanOptions {
  scanner?: ScannerDefinition;
  limits?: Partial<ScanContext['limits']>;
  signal?: AbortSignal;
  logs?: LogEntry[];
  /** The ingress's decision; defaults to the format the test names. */
  format?: string;
}

export function contextFor(path: string, format: string, fileName: string, size: number, options: ScanOptions = {}): ScanContext {
  return {
    inputPath: path,
    format,
    fileName,
    size,
    signal: options.signal ?? new AbortController().signal,
    log: collectingLogger(options.logs ?? []),
    limits: { ...testLimits, ...options.limits },
  };
}

/** Writes `bytes` as `fileName` and scans it as `format`. */
export function scanBytes(folder: string, bytes: Uint8Array, format: string, fileName: string, options: ScanOptions = {}): Promise<ScanVerdict> {
  const path = writeFixture(folder, fileName, bytes);
  return (options.scanner ?? builtinScanner).scan(contextFor(path, options.format ?? format, fileName, bytes.length, options));
}

/** Runs a tool and returns its stdout; fails with its stderr. */
export function run(command: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${Buffer.concat(err).toString()}`))));
  });
}
