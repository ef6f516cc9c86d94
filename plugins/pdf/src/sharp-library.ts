import type sharp from 'sharp';

export type SharpLibrary = typeof sharp;

let loading: Promise<SharpLibrary> | undefined;

/** Loads sharp on first use, so that a broken native build fails the probe rather than the import. */
export function loadSharp(): Promise<SharpLibrary> {
  loading ??= import('sharp').then(({ default: library }) => {
    // Each input is read once: libvips' operation cache would only hold memory and file handles.
    library.cache(false);
    return library;
  });
  return loading;
}
