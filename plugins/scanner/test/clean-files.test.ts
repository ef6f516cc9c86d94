import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bmp, heicHeader, icoWithPng, mediaFile, pdfWithPages, pictureOf } from './fixtures.js';
import { fixtureFolder, scanBytes, type LogEntry } from './helpers.js';
import { docx, epub, zip } from './zip-fixtures.js';

const folder = fixtureFolder();
const clean = { verdict: 'clean', engine: 'builtin', reason: '' };

describe('ordinary files pass clean', () => {
  it.each(['png', 'jpeg', 'gif', 'webp', 'tiff', 'avif'] as const)('a %s picture', async (format) => {
    const name = `photo.${format === 'jpeg' ? 'jpg' : format}`;
    expect(await scanBytes(folder, await pictureOf(format, 320, 240), format, name)).toEqual(clean);
  });

  it('a BMP, an icon with a PNG inside, and a HEIC header', async () => {
    expect(await scanBytes(folder, bmp(40, 30), 'bmp', 'drawing.bmp')).toEqual(clean);
    expect(await scanBytes(folder, icoWithPng(await pictureOf('png', 48, 48)), 'ico', 'favicon.ico')).toEqual(clean);
    expect(await scanBytes(folder, heicHeader(4032, 3024), 'heic', 'IMG_0001.HEIC')).toEqual(clean);
  });

  it('a multi-page PDF', async () => {
    expect(await scanBytes(folder, pdfWithPages(3), 'pdf', 'report.pdf')).toEqual(clean);
  });

  it.each(['mp3', 'wav', 'flac', 'ogg', 'opus', 'm4a', 'mp4', 'webm'])('a %s recording', async (format) => {
    const logs: LogEntry[] = [];
    expect(await scanBytes(folder, await mediaFile(folder, format, 1), format, `clip.${format}`, { logs })).toEqual(clean);
    expect(logs.filter((entry) => entry.level === 'warn')).toEqual([]);
  });

  it('Office documents, an EPUB and a plain zip', async () => {
    expect(await scanBytes(folder, docx(['Quarterly report', 'Everything is fine.'.repeat(40)]), 'docx', 'report.docx')).toEqual(clean);
    expect(await scanBytes(folder, epub(), 'epub', 'book.epub')).toEqual(clean);
    const archive = zip({ 'notes/readme.txt': strToU8('hello\n'.repeat(200)), 'data/values.csv': strToU8('a,b\n1,2\n') });
    expect(await scanBytes(folder, archive, 'zip', 'bundle.zip')).toEqual(clean);
  });

  it('a zip that stores a PDF uncompressed as its first entry: the PDF is its content, not a second reading', async () => {
    const archive = zip({ 'report.pdf': [pdfWithPages(1), { level: 0 }] });
    expect(archive.indexOf('%PDF-')).toBeLessThan(1024);
    expect(await scanBytes(folder, archive, 'zip', 'reports.zip')).toEqual(clean);
  });

  it('text formats', async () => {
    expect(await scanBytes(folder, Buffer.from('name,amount\nAda,12\nGrace,7\n'), 'csv', 'ledger.csv')).toEqual(clean);
    expect(await scanBytes(folder, Buffer.from('{"a":[1,2,3]}\n'), 'json', 'data.json')).toEqual(clean);
    expect(await scanBytes(folder, Buffer.from('# Title\n\nSome *markdown* text.\n'), 'md', 'README.md')).toEqual(clean);
    expect(await scanBytes(folder, Buffer.from('<!doctype html><html><body><script>1</script></body></html>'), 'html', 'page.html')).toEqual(clean);
  });

  it('an empty text file', async () => {
    expect(await scanBytes(folder, Buffer.alloc(0), 'txt', 'empty.txt')).toEqual(clean);
  });
});
