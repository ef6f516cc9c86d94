import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file of the page, held in memory: the page is a handful of small files. */
export interface WebAsset {
  body: Buffer;
  contentType: string;
  /** A strong validator of the body, quoted as the ETag header wants it. */
  etag: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page's files sit beside `src/` and `dist/`, so the same path serves from either. */
const publicFolder = fileURLToPath(new URL('../public/', import.meta.url));

/**
 * What the page may load and talk to: its own files and the API on the same origin, nothing
 * inline and nothing from elsewhere, and no one may frame it.
 */
export const webPageSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page the product serves at `/`: the entry document's name among `loadWebAssets()`. */
export const webPageEntry = 'index.html';

/** Reads every file of the page, keyed by its name (`index.html`, `app.js`, …). */
export async function loadWebAssets(): Promise<ReadonlyMap<string, WebAsset>> {
  const assets = new Map<string, WebAsset>();
  for (const name of await readdir(publicFolder)) {
    const contentType = contentTypes[extname(name)];
    if (!contentType) continue;
    const body = await readFile(join(publicFolder, name));
    assets.set(name, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
  }
  return assets;
}
