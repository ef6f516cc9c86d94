import type { ProbeResult } from '@conveyor/contracts';
import { loadMupdf } from './mupdf-library.js';
import { loadSharp } from './sharp-library.js';

/** Says whether MuPDF's WebAssembly build and sharp both load on this machine. */
export async function probePdf(): Promise<ProbeResult> {
  try {
    const mupdf = await loadMupdf();
    new mupdf.PDFDocument().destroy();
  } catch (error) {
    return { ok: false, reason: `MuPDF cannot load: ${(error as Error).message}` };
  }
  try {
    await loadSharp();
  } catch (error) {
    return { ok: false, reason: `sharp cannot load: ${(error as Error).message}` };
  }
  return { ok: true };
}
