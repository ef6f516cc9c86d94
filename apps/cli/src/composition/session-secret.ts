import type { ConveyorConfig } from '@conveyor/core';
import { randomSecret } from '@conveyor/core';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The configured SESSION_SECRET, or one kept in the data folder so that tokens survive a
 * restart of an embedded install without any setup.
 */
export async function loadSessionSecret(config: ConveyorConfig): Promise<Buffer> {
  if (config.sessionSecret) return Buffer.from(config.sessionSecret);
  const path = join(config.dataDir, 'session.key');
  try {
    return await readFile(path);
  } catch {
    const secret = randomSecret();
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(path, secret, { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
    return readFile(path);
  }
}
