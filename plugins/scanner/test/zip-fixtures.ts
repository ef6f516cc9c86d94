import { strToU8, zipSync, type Zippable } from 'fflate';

/** A zip made by fflate: entries deflated at `level` unless an entry says otherwise. */
export function zip(entries: Zippable, level: 0 | 6 | 9 = 6): Buffer {
  return Buffer.from(zipSync(entries, { level }));
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/** A minimal but complete Word document. */
export function docx(paragraphs: readonly string[]): Buffer {
  const body = paragraphs.map((text) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`).join('');
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
  return zip({ '[Content_Types].xml': strToU8(contentTypes), _rels: { '.rels': strToU8(rels) }, word: { 'document.xml': strToU8(document) } });
}

/** An EPUB's opening: the `mimetype` entry stored first, as the format requires. */
export function epub(): Buffer {
  const container = `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`;
  return zip({
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF': { 'container.xml': strToU8(container) },
    OEBPS: { 'content.opf': strToU8('<package xmlns="http://www.idpf.org/2007/opf" version="3.0"/>') },
  });
}

export function endRecordOffset(archive: Buffer): number {
  const at = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (at < 0) throw new Error('no end record');
  return at;
}

/** Where each central directory entry starts. */
export function centralEntryOffsets(archive: Buffer): number[] {
  const end = endRecordOffset(archive);
  const offsets = [];
  for (let at = archive.readUInt32LE(end + 16); at < end && archive.readUInt32LE(at) === 0x02014b50; ) {
    offsets.push(at);
    at += 46 + archive.readUInt16LE(at + 28) + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  return offsets;
}

/** A copy of `archive` with the central directory's uncompressed size of entry `index` replaced. */
export function withDeclaredSize(archive: Buffer, index: number, uncompressedSize: number): Buffer {
  const copy = Buffer.from(archive);
  copy.writeUInt32LE(uncompressedSize, centralEntryOffsets(copy)[index]! + 24);
  return copy;
}

/** A copy of `archive` whose end record says the central directory is at `offset`, `size` bytes long. */
export function withDirectoryAt(archive: Buffer, offset: number, size?: number): Buffer {
  const copy = Buffer.from(archive);
  const end = endRecordOffset(copy);
  copy.writeUInt32LE(offset, end + 16);
  if (size !== undefined) copy.writeUInt32LE(size, end + 12);
  return copy;
}
