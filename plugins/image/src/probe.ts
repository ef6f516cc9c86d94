import type { ProbeResult } from '@conveyor/contracts';
import { loadSharp } from './sharp-library.js';

/** Says whether sharp and its bundled libvips load on this machine. */
export async function probeSharp(): Promise<ProbeResult> {
  try {
    const library = await loadSharp();
    const { vips } = library.versions;
    return vips ? { ok: true } : { ok: false, reason: 'sharp loaded without a libvips version' };
  } catch (error) {
    return { ok: false, reason: `sharp cannot load: ${(error as Error).message}` };
  }
}
