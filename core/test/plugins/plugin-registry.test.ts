import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../src/plugins/plugin-registry.js';

/** A plugin module whose probe answers `probe` and whose dispose calls are counted on globalThis. */
const pluginSource = (id: string, probe: string) => `
export default {
  id: '${id}',
  version: '1.0.0',
  capabilities: [{ from: 'txt', to: '${id}' }],
  async probe() { ${probe} },
  async convert() {},
  async dispose() { globalThis.disposed ??= []; globalThis.disposed.push('${id}'); },
};
`;

describe('loadPlugins', () => {
  let folder: string;
  const paths: Record<string, string> = {};
  const quiet = { info: () => undefined, warn: () => undefined };

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'conveyor-plugin-registry-'));
    const sources = {
      ready: pluginSource('ready', 'return { ok: true };'),
      refused: pluginSource('refused', "return { ok: false, reason: 'no binary here' };"),
      broken: pluginSource('broken', "throw new Error('the helper crashed');"),
    };
    for (const [name, source] of Object.entries(sources)) {
      paths[name] = join(folder, `${name}.mjs`);
      await writeFile(paths[name], source);
    }
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps the plugins whose probe passes and disposes at once those it leaves out', async () => {
    const disposedBefore = [...((globalThis as { disposed?: string[] }).disposed ?? [])];
    const loaded = await loadPlugins([paths.ready!, paths.refused!, paths.broken!], quiet);

    expect(loaded.runnable.map((plugin) => plugin.id)).toEqual(['ready']);
    expect(loaded.skipped).toEqual([
      { id: 'refused', reason: 'no binary here' },
      { id: 'broken', reason: 'the helper crashed' },
    ]);
    const disposed = ((globalThis as { disposed?: string[] }).disposed ?? []).slice(disposedBefore.length);
    expect(disposed.sort()).toEqual(['broken', 'refused']);
  });
});
