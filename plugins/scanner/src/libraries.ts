import type sharp from 'sharp';

export type SharpLibrary = typeof sharp;
export type MupdfLibrary = typeof import('mupdf');

let loadingSharp: Promise<SharpLibrary> | undefined;
let loadingMupdf: Promise<MupdfLibrary> | undefined;

/** Loads sharp on first use, so that a broken native build fails the probe rather than the import. */
export function loadSharp(): Promise<SharpLibrary> {
  loadingSharp ??= import('sharp').then(({ default: library }) => {
    // Only headers are read: libvips' operation cache would just hold file handles.
    library.cache(false);
    return library;
  });
  return loadingSharp;
}

/** Loads MuPDF's WebAssembly build on first use. */
export function loadMupdf(): Promise<MupdfLibrary> {
  loadingMupdf ??= import('mupdf').then((library) => {
    // A damaged PDF makes MuPDF print its repairs to stderr; the verdict says what matters.
    library.setLog({ error: () => undefined, warning: () => undefined });
    return library;
  });
  return loadingMupdf;
}
