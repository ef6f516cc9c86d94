import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { metadataReportSchema, type MetadataEdit, type MetadataReport } from '@conveyor/contracts';
import { zipSync, strToU8 } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { metadataTool } from '../src/index.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
/** The exiftool script itself, run directly: the tests' own reader, apart from the plugin's process. */
export const exiftoolScript = require.resolve('exiftool-vendored.pl/bin/exiftool');

export const quietLog = { debug() {}, info() {}, warn() {}, error() {} };
const workDirs: string[] = [];

export async function workDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'conveyor-metadata-test-'));
  workDirs.push(dir);
  return dir;
}

export async function removeWorkDirs(): Promise<void> {
  await Promise.all(workDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

export async function exiftoolCli(args: string[]): Promise<string> {
  const { stdout } = await run('perl', [exiftoolScript, ...args]);
  return stdout;
}

/** Every tag exiftool sees, as `Group:Tag` → value (numbers unconverted, `-n`). */
export async function exiftoolTags(path: string): Promise<Record<string, unknown>> {
  const json = await exiftoolCli(['-j', '-G0', '-a', '-n', '-x', 'System:all', path]);
  return (JSON.parse(json) as Record<string, unknown>[])[0]!;
}

export async function ffprobeJson(path: string): Promise<{ format: { tags?: Record<string, string>; duration?: string }; streams: { codec_name: string; codec_type: string; width?: number; height?: number; tags?: Record<string, string> }[] }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path]);
  return JSON.parse(stdout);
}

/** The plugin's report on `path`, checked against the contract's schema (as the API stores it). */
export async function readReport(path: string, format: string, signal = new AbortController().signal): Promise<MetadataReport> {
  const report = await metadataTool.read({ inputPath: path, format, signal, log: quietLog });
  return metadataReportSchema.strict().parse(report) as MetadataReport;
}

/** Writes `input` with `edit` to a new file next to it and returns that file's path. */
export async function rewrite(input: string, format: string, edit: Partial<Omit<MetadataEdit, 'as_copy'>>, name = `out-${Math.random().toString(36).slice(2)}`): Promise<string> {
  const outputPath = join(input, '..', `${name}.${format}`);
  await metadataTool.write({
    inputPath: input,
    outputPath,
    format,
    signal: new AbortController().signal,
    log: quietLog,
    edit: { anonymize: false, strip_all: false, set: {}, remove: {}, ...edit },
  });
  return outputPath;
}

/** A 40×30 JPEG with an sRGB profile, rotated (Orientation 6), and GPS, names, serial and software in EXIF, XMP and IPTC. */
export async function makeJpeg(dir: string): Promise<string> {
  const path = join(dir, 'photo.jpeg');
  const bytes = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .withIccProfile('srgb')
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
  await writeFile(path, bytes);
  await exiftoolCli([
    '-q',
    '-overwrite_original',
    '-EXIF:GPSLatitude=48.8584',
    '-EXIF:GPSLatitudeRef=N',
    '-EXIF:GPSLongitude=2.2945',
    '-EXIF:GPSLongitudeRef=E',
    '-EXIF:GPSAltitude=35',
    '-EXIF:Artist=Alice Example',
    '-EXIF:Copyright=Alice Example 2024',
    '-EXIF:Software=PhotoTool 3.1',
    '-EXIF:SerialNumber=SN-998877',
    '-EXIF:LensSerialNumber=LENS-1234',
    '-EXIF:Make=Canon',
    '-EXIF:Model=EOS 5D',
    '-EXIF:DateTimeOriginal=2024:05:01 12:30:00',
    '-EXIF:ImageDescription=Tower at noon',
    '-XMP-dc:Title=Eiffel',
    '-XMP-dc:Creator=Alice Example',
    '-XMP-xmp:CreatorTool=PhotoTool 3.1',
    '-XMP-xmpMM:DocumentID=xmp.did:1234',
    '-XMP-xmpMM:History={Action=saved,SoftwareAgent=PhotoTool}',
    '-IPTC:By-line=Alice Example',
    '-IPTC:ObjectName=Eiffel',
    path,
  ]);
  return path;
}

/** A PNG with an sRGB profile, EXIF orientation and text chunks (Title, Author, Software, Comment). */
export async function makePng(dir: string): Promise<string> {
  const path = join(dir, 'image.png');
  const bytes = await sharp({ create: { width: 24, height: 16, channels: 4, background: { r: 0, g: 120, b: 255, alpha: 0.5 } } })
    .withIccProfile('srgb')
    .png()
    .toBuffer();
  await writeFile(path, bytes);
  await exiftoolCli(['-q', '-overwrite_original', '-PNG:Title=Blue square', '-PNG:Author=Bob Painter', '-PNG:Software=Paint 9', '-PNG:Comment=draft two', '-EXIF:Orientation#=3', '-EXIF:GPSLatitude=10', '-EXIF:GPSLatitudeRef=S', '-EXIF:GPSLongitude=20', '-EXIF:GPSLongitudeRef=W', path]);
  return path;
}

export async function makeImage(dir: string, format: 'webp' | 'tiff'): Promise<string> {
  const path = join(dir, `image.${format}`);
  const image = sharp({ create: { width: 20, height: 20, channels: 3, background: '#336699' } }).withIccProfile('srgb');
  await writeFile(path, await (format === 'webp' ? image.webp() : image.tiff()).toBuffer());
  await exiftoolCli(['-q', '-overwrite_original', '-EXIF:Artist=Carol', '-EXIF:Software=Editor 1', '-XMP-dc:Title=Square', path]);
  return path;
}

export async function makeMp3(dir: string, id3Version: 3 | 4 = 4): Promise<string> {
  const path = join(dir, `song-v${id3Version}.mp3`);
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.5', '-id3v2_version', String(id3Version), '-metadata', 'title=First Song', '-metadata', 'artist=Dana Singer', '-metadata', 'album=Demos', '-metadata', 'date=2021', '-metadata', 'genre=Pop', '-metadata', 'encoded_by=Eve Encoder', path]);
  return path;
}

const audioCodecs = { ogg: 'libvorbis', opus: 'libopus', flac: 'flac', m4a: 'aac' } as const;

export async function makeAudio(dir: string, format: keyof typeof audioCodecs): Promise<string> {
  const path = join(dir, `track.${format}`);
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=330:duration=0.5', '-c:a', audioCodecs[format], '-metadata', 'title=Night Tune', '-metadata', 'artist=Frank Player', '-metadata', 'album=Night', '-metadata', 'date=2020', '-metadata', 'location=+51.5000-000.1200/', path]);
  return path;
}

/** A 0.4 s video with a sound track, tags and (for MP4) a recording location. */
export async function makeVideo(dir: string, format: 'mp4' | 'mov' | 'mkv' | 'webm'): Promise<string> {
  const path = join(dir, `clip.${format}`);
  const codecs = format === 'webm' ? ['-c:v', 'libvpx', '-b:v', '100k', '-c:a', 'libopus'] : format === 'mkv' ? ['-c:v', 'mpeg4', '-c:a', 'flac'] : ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'];
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=32x24:rate=10:duration=0.4', '-f', 'lavfi', '-i', 'sine=duration=0.4', '-shortest', ...codecs, '-metadata', 'title=Clip One', '-metadata', 'artist=Gina Filmer', '-metadata', 'location=+40.7128-074.0060/', path]);
  return path;
}

export async function makePdf(dir: string): Promise<string> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 100]);
  doc.addPage([200, 100]);
  doc.setTitle('Quarterly Report');
  doc.setAuthor('Hank Writer');
  doc.setSubject('Numbers');
  doc.setKeywords(['finance', 'q2']);
  doc.setCreator('WordThing 7');
  doc.setProducer('PDFMaker 2');
  doc.setCreationDate(new Date('2023-03-04T05:06:07Z'));
  const path = join(dir, 'report.pdf');
  await writeFile(path, await doc.save());
  return path;
}

const coreXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Plan &amp; Budget</dc:title><dc:creator>Ivy Author</dc:creator><cp:lastModifiedBy>Jack Editor</cp:lastModifiedBy><cp:revision>7</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2022-01-02T03:04:05Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2022-02-03T04:05:06Z</dcterms:modified><cp:keywords>plan, budget</cp:keywords></cp:coreProperties>`;
const appXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>Normal.dotm</Template><TotalTime>42</TotalTime><Pages>1</Pages><Words>3</Words><Application>Microsoft Office Word</Application><AppVersion>16.0000</AppVersion><Company>Acme Corp</Company><Manager>Kim Boss</Manager></Properties>`;
export const docxBody = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello metadata</w:t></w:r></w:p></w:body></w:document>`;

/** A minimal Word document, zipped by fflate (not by this package): with or without docProps. */
export async function makeDocx(dir: string, withProperties = true): Promise<string> {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>${withProperties ? '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' : ''}</Types>`,
    ),
    '_rels/.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>${withProperties ? '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' : ''}</Relationships>`,
    ),
    'word/document.xml': strToU8(docxBody),
  };
  if (withProperties) {
    files['docProps/core.xml'] = strToU8(coreXml);
    files['docProps/app.xml'] = strToU8(appXml);
  }
  const path = join(dir, withProperties ? 'letter.docx' : 'bare.docx');
  await writeFile(path, zipSync(files));
  return path;
}

const metaXml = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta><meta:generator>LibreOffice/7.4</meta:generator><dc:title>Minutes</dc:title><meta:initial-creator>Lena First</meta:initial-creator><dc:creator>Max Last</dc:creator><meta:creation-date>2021-06-07T08:09:10</meta:creation-date><meta:editing-cycles>4</meta:editing-cycles><meta:editing-duration>PT5M</meta:editing-duration><meta:keyword>meeting</meta:keyword><meta:keyword>notes</meta:keyword><meta:user-defined meta:name="Reviewer">Nora Check</meta:user-defined><meta:document-statistic meta:page-count="1" meta:word-count="2"/></office:meta></office:document-meta>`;

export async function makeOdt(dir: string): Promise<string> {
  const files = {
    // The mimetype entry must come first and be stored, not deflated.
    mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }] as [Uint8Array, { level: 0 }],
    'content.xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:text><text:p>Hello</text:p></office:text></office:body></office:document-content>'),
    'meta.xml': strToU8(metaXml),
    'META-INF/manifest.xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>'),
  };
  const path = join(dir, 'minutes.odt');
  await writeFile(path, zipSync(files));
  return path;
}

export async function fileBytes(path: string): Promise<Buffer> {
  return readFile(path);
}
