export type MupdfLibrary = typeof import('mupdf');

let loading: Promise<MupdfLibrary> | undefined;

/**
 * Loads MuPDF's WebAssembly build on first use rather than at import, so that a broken build
 * makes the probe fail (and the host leave this plugin out) instead of failing the import.
 */
export function loadMupdf(): Promise<MupdfLibrary> {
  loading ??= import('mupdf').then((library) => {
    // MuPDF prints every repair and warning to stderr; a damaged input is answered with a
    // PluginError instead, and the worker's log should not fill with a PDF's complaints.
    library.setLog({ error: () => undefined, warning: () => undefined });
    return library;
  });
  return loading;
}
