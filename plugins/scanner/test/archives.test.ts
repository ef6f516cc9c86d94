import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fixtureFolder, scanBytes } from './helpers.js';
import { centralEntryOffsets, docx, endRecordOffset, withDeclaredSize, withDirectoryAt, zip } from './zip-fixtures.js';

const folder = fixtureFolder();

function rejectedFor(pattern: RegExp) {
  return { verdict: 'rejected', engine: 'builtin', reason: expect.stringMatching(pattern) };
}

/** 50 MB of one byte: deflate squeezes it about a thousandfold. */
const bombPayload = Buffer.alloc(50 * 1024 * 1024, 0x61);

describe('zip containers: expansion', () => {
  it('a zip bomb exceeds the expansion ratio and is rejected with both numbers', async () => {
    const bomb = zip({ 'word/document.xml': bombPayload }, 9);
    const ratio = Math.round(bombPayload.length / bomb.length);
    expect(ratio).toBeGreaterThan(100);
    const verdict = await scanBytes(folder, bomb, 'docx', 'bomb.docx', { limits: { maxDecompressedBytes: 1024 * 1024 * 1024 } });
    expect(verdict).toEqual({ verdict: 'rejected', engine: 'builtin', reason: `archive expands ${ratio}× (limit 100×)` });
  });

  it('the ratio ceiling is configurable', async () => {
    const bomb = zip({ 'sheet.xml': bombPayload }, 9);
    const limits = { maxExpansionRatio: 5000, maxDecompressedBytes: 1024 * 1024 * 1024 };
    expect(await scanBytes(folder, bomb, 'xlsx', 'big.xlsx', { limits })).toMatchObject({ verdict: 'clean' });
  });

  it('an archive expanding past maxDecompressedBytes is rejected', async () => {
    const archive = zip({ 'a.txt': Buffer.alloc(3 * 1024 * 1024, 0x62), 'b.txt': Buffer.alloc(3 * 1024 * 1024, 0x63) }, 9);
    const limits = { maxDecompressedBytes: 5 * 1024 * 1024, maxExpansionRatio: 1_000_000 };
    expect(await scanBytes(folder, archive, 'zip', 'big.zip', { limits })).toEqual(rejectedFor(/^archive expands to 6291456 bytes \(limit 5242880 bytes\)$/));
  });

  it.each(['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub', 'zip'])('%s files are measured', async (format) => {
    const bomb = zip({ 'content.xml': Buffer.alloc(20 * 1024 * 1024, 0x20) }, 9);
    expect(await scanBytes(folder, bomb, format, `file.${format}`)).toEqual(rejectedFor(/^archive expands \d+× \(limit 100×\)$/));
  });

  it('an entry whose declared size lies (a bomb declared small) is caught by inflating it', async () => {
    const honest = zip({ 'word/document.xml': Buffer.alloc(10 * 1024 * 1024, 0x20), 'readme.txt': strToU8('hi') }, 9);
    const lying = withDeclaredSize(honest, 0, 1000);
    const verdict = await scanBytes(folder, lying, 'docx', 'liar.docx');
    expect(verdict).toEqual(rejectedFor(/entry "word\/document.xml" expands past the 1000 bytes it declares/));
  });

  it('a stored entry whose sizes disagree is rejected', async () => {
    const archive = withDeclaredSize(zip({ 'a.bin': [Buffer.alloc(100, 1), { level: 0 }] }), 0, 10);
    expect(await scanBytes(folder, archive, 'zip', 'a.zip')).toEqual(rejectedFor(/stored entry "a.bin" declares 10 bytes but holds 100/));
  });
});

describe('zip containers: structure', () => {
  it.each(['../evil.txt', 'docs/../../etc/cron.d/x', '/etc/passwd', 'C:/Windows/system.ini', '..\\..\\boot.ini'])('an entry named %s is rejected', async (name) => {
    const archive = zip({ 'ok.txt': strToU8('fine'), [name]: strToU8('payload') });
    expect(await scanBytes(folder, archive, 'zip', 'a.zip')).toEqual(rejectedFor(/entry whose path leaves the archive/));
  });

  it('names with dots that are not ".." segments are fine', async () => {
    const archive = zip({ '..hidden': strToU8('a'), 'a..b.txt': strToU8('b'), 'dir/.../x': strToU8('c') });
    expect(await scanBytes(folder, archive, 'zip', 'a.zip')).toMatchObject({ verdict: 'clean' });
  });

  it('a central directory that does not fit in the file is not trusted', async () => {
    const archive = docx(['x']);
    expect(await scanBytes(folder, withDirectoryAt(archive, 0x7fff0000), 'docx', 'a.docx')).toEqual(rejectedFor(/central directory .* does not fit in the file/));
  });

  it('zip64 markers without a zip64 locator are not trusted', async () => {
    const archive = withDirectoryAt(docx(['x']), 0xffffffff);
    expect(await scanBytes(folder, archive, 'docx', 'a.docx')).toEqual(rejectedFor(/zip64 fields but no zip64 locator/));
  });

  it('an entry count larger than the directory can hold is not trusted', async () => {
    const archive = docx(['x']);
    const end = endRecordOffset(archive);
    archive.writeUInt16LE(5000, end + 8);
    archive.writeUInt16LE(5000, end + 10);
    expect(await scanBytes(folder, archive, 'docx', 'a.docx')).toEqual(rejectedFor(/claims 5000 entries/));
  });

  it('an entry pointing past the data area is not trusted', async () => {
    const archive = docx(['x']);
    archive.writeUInt32LE(archive.length, centralEntryOffsets(archive)[1]! + 42);
    expect(await scanBytes(folder, archive, 'docx', 'a.docx')).toEqual(rejectedFor(/declares more data than the file holds/));
  });

  it('a zip-based file with no end record is rejected', async () => {
    const archive = docx(['x']);
    expect(await scanBytes(folder, archive.subarray(0, endRecordOffset(archive)), 'docx', 'cut.docx')).toEqual(rejectedFor(/no end-of-central-directory record/));
  });

  it('data after the end record means the end record is not the end: rejected', async () => {
    const archive = Buffer.concat([docx(['x']), Buffer.from('trailing bytes')]);
    expect(await scanBytes(folder, archive, 'docx', 'a.docx')).toEqual(rejectedFor(/no end-of-central-directory record at its end/));
  });

  it('corrupt deflate data is rejected', async () => {
    const archive = zip({ 'a.txt': Buffer.alloc(5000, 0x41) }, 9);
    const header = 0;
    const dataStart = header + 30 + archive.readUInt16LE(26) + archive.readUInt16LE(28);
    archive.fill(0xff, dataStart, dataStart + 8);
    expect(await scanBytes(folder, archive, 'zip', 'a.zip')).toEqual(rejectedFor(/entry "a.txt" (is not valid deflate data|expands past)/));
  });
});
