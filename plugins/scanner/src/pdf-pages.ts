import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { loadMupdf } from './libraries.js';

export class UnreadablePdf extends Error {}

/**
 * The number of pages of a PDF, counted by MuPDF reading the file through a stream: it reads
 * the cross-reference table and the page tree, not the whole file, so a large PDF is never
 * held in memory. An encrypted PDF's page tree cannot be read without its password.
 */
export async function countPdfPages(path: string): Promise<number | 'password-protected'> {
  const mupdf = await loadMupdf();
  const fd = openSync(path, 'r');
  let closed = false;
  const close = () => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  const size = fstatSync(fd).size;
  let stream: InstanceType<typeof mupdf.Stream> | undefined;
  let document: InstanceType<typeof mupdf.Document> | undefined;
  try {
    stream = new mupdf.Stream({
      fileSize: () => size,
      read: (memory, offset, length, position) => readSync(fd, memory, offset, length, position),
      close,
    });
    document = mupdf.Document.openDocument(stream, 'application/pdf');
    if (document.needsPassword()) return 'password-protected';
    return document.countPages();
  } catch (error) {
    throw error instanceof UnreadablePdf ? error : new UnreadablePdf((error as Error).message);
  } finally {
    document?.destroy();
    stream?.destroy();
    close();
  }
}
