import type { ProbeResult } from '@conveyor/contracts';

/** Says whether the parsing libraries load; they are pure JavaScript, so this fails only on a broken install. */
export async function probeDataLibraries(): Promise<ProbeResult> {
  try {
    await Promise.all([import('csv-parse'), import('csv-stringify/sync'), import('yaml'), import('fast-xml-parser'), import('smol-toml'), import('exceljs'), import('chardet'), import('iconv-lite')]);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `a data library cannot load: ${(error as Error).message}` };
  }
}
