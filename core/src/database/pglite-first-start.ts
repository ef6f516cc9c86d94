import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { openPGliteThread } from './pglite-thread.js';

/**
 * Creates the database cluster in `dataDir` when there is none yet, in a thread that ends
 * afterwards. PGlite's initdb grows its WebAssembly memory to about 900 MB, and WebAssembly
 * memory never shrinks: a process that served from the thread that ran initdb kept twice the
 * memory of one started on an existing directory (958 MB against 472 MB RSS), until its next
 * restart. Ending the thread hands that memory back.
 */
export async function initialisePGliteDataDir(dataDir: string): Promise<void> {
  if (await hasCluster(dataDir)) return;
  const initdb = await openPGliteThread(dataDir);
  await initdb.close();
}

/** PostgreSQL writes PG_VERSION into every data directory it has initialised. */
async function hasCluster(dataDir: string): Promise<boolean> {
  try {
    await access(join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}
