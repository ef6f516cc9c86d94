import type sharp from 'sharp';

export type SharpLibrary = typeof sharp;

let loading: Promise<SharpLibrary> | undefined;

/**
 * Loads sharp on first use rather than at import, so that a missing or broken native build
 * makes the probe fail (and the host leave this plugin out) instead of failing the import.
 */
export function loadSharp(): Promise<SharpLibrary> {
  loading ??= import('sharp').then(({ default: library }) => {
    // libvips caches recent operations and their decoded inputs to reuse them. A worker converts
    // each input file once, so the cache would never hit; it would only hold memory, and open
    // handles to job files that have already been deleted.
    library.cache(false);
    return library;
  });
  return loading;
}
