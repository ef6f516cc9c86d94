import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { access, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PluginError } from '@conveyor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentCapabilities, officeCost } from '../src/capabilities.js';
import { withoutUndatedMeta } from '../src/html-input.js';
import { documentPlugin, shutdownOfficePool } from '../src/index.js';
import { pdfPageCount } from '../src/input-checks.js';
import { officePool } from '../src/office-pool.js';
import { officeSettings } from '../src/office-settings.js';
import { flatPresentation, makeWithOffice, makeWorkDir, packageText, removeWorkDirs, sampleOf, sampleText, testContext } from './document-fixtures.js';

afterAll(async () => {
  await shutdownOfficePool();
  await removeWorkDirs();
});

async function rejection(work: Promise<unknown>): Promise<PluginError> {
  const error = await work.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'the conversion resolved where it should have failed').toBeInstanceOf(PluginError);
  return error as PluginError;
}

async function inputFile(name: string, bytes: Uint8Array | string): Promise<{ dir: string; path: string }> {
  const dir = await makeWorkDir();
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { dir, path };
}

describe('capabilities', () => {
  it('declares 51 direct pairs: every pair within a family except to itself, never to doc, xls or ppt', () => {
    expect(documentCapabilities).toHaveLength(51);
    const pairs = new Set(documentCapabilities.map(({ from, to }) => `${from}>${to}`));
    expect(pairs.size).toBe(51);
    for (const { from, to, cost } of documentCapabilities) {
      expect(from).not.toBe(to);
      expect(['doc', 'xls', 'ppt']).not.toContain(to);
      expect(cost).toBe(officeCost);
    }
    expect(pairs).toContain('doc>html');
    expect(pairs).toContain('csv>ods');
    expect(pairs).toContain('ppt>pptx');
    expect(pairs).not.toContain('docx>xlsx');
  });

  it('marks conversions to pdf, txt and csv lossy, and offers the PDF presets on pdf targets only', () => {
    for (const { to, lossy, presets } of documentCapabilities) {
      expect(lossy).toBe(['pdf', 'txt', 'csv'].includes(to));
      expect(presets?.map((preset) => preset.id)).toEqual(to === 'pdf' ? ['standard', 'pdfa'] : undefined);
    }
  });

  it('publishes closed schemas: pdfProfile on pdf targets, no option elsewhere, every preset param named', () => {
    for (const { from, to, options, presets } of documentCapabilities) {
      const names = Object.keys((options?.properties ?? {}) as object);
      // The API refuses what the schema does not name, so a misspelt option is an error rather than ignored.
      expect(options?.additionalProperties, `${from} → ${to}`).toBe(false);
      expect(names, `${from} → ${to}`).toEqual(to === 'pdf' ? ['pdfProfile'] : []);
      for (const preset of presets ?? []) expect(names).toEqual(expect.arrayContaining(Object.keys(preset.params)));
    }
  });
});

describe('PDF presets', () => {
  it('pdfa writes PDF/A-2b identification into the XMP metadata; standard does not', async () => {
    const { dir, path } = await inputFile('input.docx', await sampleOf('docx'));
    const convert = async (pdfProfile: string) => {
      const outputPath = join(dir, `${pdfProfile}.pdf`);
      await documentPlugin.convert(testContext({ inputPath: path, outputPath, from: 'docx', to: 'pdf', options: { pdfProfile } }));
      return (await readFile(outputPath)).toString('latin1');
    };
    const archival = await convert('pdfa');
    expect(archival).toMatch(/<pdfaid:part>2<\/pdfaid:part>|pdfaid:part="2"/);
    expect(archival).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>|pdfaid:conformance="B"/);
    expect(await convert('standard')).not.toContain('pdfaid:part');
  });

  it('refuses an unknown profile', async () => {
    const { dir, path } = await inputFile('input.txt', 'hello\n');
    const error = await rejection(documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, 'out.pdf'), from: 'txt', to: 'pdf', options: { pdfProfile: 'x' } })));
    expect(error.code).toBe('invalid_parameter');
  });
});

describe('untrusted documents', () => {
  let server: Server;
  const requests: string[] = [];
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'image/png' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches nothing an HTML document links to (image, stylesheet, frame)', async () => {
    const html = `<html><head><link rel="stylesheet" href="${base}/style.css"></head><body><p>Remote test</p><img src="${base}/picture.png" width="40" height="40"><iframe src="${base}/frame.html"></iframe><p>after</p></body></html>`;
    const { dir, path } = await inputFile('input.html', html);
    for (const to of ['pdf', 'docx', 'odt']) {
      await documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, `out.${to}`), from: 'html', to }));
    }
    expect(requests).toEqual([]);
  });

  it('fetches nothing an ODT document links to (a linked picture)', async () => {
    const fodt = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:body><office:text><text:p>Linked picture<draw:frame draw:name="p" svg:width="2cm" svg:height="2cm" text:anchor-type="as-char"><draw:image xlink:href="${base}/linked.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p></office:text></office:body></office:document>`;
    const source = await inputFile('linked.fodt', fodt);
    const odt = await makeWithOffice(source.path, 'odt');
    const { dir, path } = await inputFile('input.odt', odt);
    // The link survived into the ODT, so LibreOffice is offered it again when converting.
    expect(await packageText(odt, 'odt')).toContain(`${base}/linked.png`);
    await documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, 'out.pdf'), from: 'odt', to: 'pdf' }));
    await documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, 'out.docx'), from: 'odt', to: 'docx' }));
    expect(requests).toEqual([]);
  });

  it('runs no macro: a document whose Basic macro writes a file on load, on layout and on save converts without it', async () => {
    const marker = join(await makeWorkDir(), 'macro-ran.txt');
    const events = ['dom:load', 'office:load-finished', 'office:view-created', 'office:layout-finished', 'office:storage-changed']
      .map(
        (event) =>
          `<script:event-listener script:language="ooo:script" script:event-name="${event}" xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document" xlink:type="simple"/>`,
      )
      .join('');
    const fodt = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:ooo="http://openoffice.org/2004/office" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dom="http://www.w3.org/2001/xml-events" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:scripts><office:script script:language="ooo:Basic"><ooo:libraries><ooo:library-embedded ooo:name="Standard"><ooo:module ooo:name="Module1"><ooo:source-code>Sub Main
  Dim n As Integer
  n = FreeFile
  Open "${marker}" For Output As #n
  Print #n, "the macro ran"
  Close #n
End Sub
</ooo:source-code></ooo:module></ooo:library-embedded></ooo:libraries></office:script><office:event-listeners>${events}</office:event-listeners></office:scripts>
<office:body><office:text><text:p>Macro test document</text:p></office:text></office:body></office:document>`;
    const source = await inputFile('macro.fodt', fodt);
    const odt = await makeWithOffice(source.path, 'odt');
    const { dir, path } = await inputFile('input.odt', odt);
    // The macro survived into the ODT: the test would notice it running.
    expect(odt.includes(Buffer.from('Basic/Standard/Module1.xml'))).toBe(true);
    for (const to of ['pdf', 'docx', 'rtf']) {
      await documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, `out.${to}`), from: 'odt', to }));
    }
    await expect(access(marker)).rejects.toThrow();
  });

  it('the running LibreOffice has macros disabled and the network content providers removed', async () => {
    const lease = await officePool().acquire(new AbortController().signal);
    try {
      const script = `
import sys, uno
from com.sun.star.beans import PropertyValue
ctx = uno.getComponentContext()
resolver = ctx.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", ctx)
remote = resolver.resolve("uno:socket,host=127.0.0.1,port=%s;urp;StarOffice.ComponentContext" % sys.argv[1])
provider = remote.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", remote)
def node(path):
    arg = PropertyValue(); arg.Name = "nodepath"; arg.Value = path
    return provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationAccess", (arg,))
scripting = node("/org.openoffice.Office.Common/Security/Scripting")
print(scripting.MacroSecurityLevel, scripting.DisableMacrosExecution, scripting.BlockUntrustedRefererLinks)
providers = node("/org.openoffice.ucb.Configuration/ContentProviders/Local/SecondaryKeys/Office/ProviderData")
print(",".join(sorted(providers.getByName(name).URLTemplate for name in providers.getElementNames())))
`;
      const { stdout } = await promisify(execFile)(officeSettings().python, ['-c', script, String(lease.port)]);
      const [scripting, schemes] = stdout.trim().split('\n');
      expect(scripting).toBe('3 True True');
      const templates = schemes!.split(',');
      expect(templates).toContain('file');
      for (const scheme of ['http', 'https', 'ftp', 'webdav', 'vnd.sun.star.webdav', 'vnd.libreoffice.cmis']) expect(templates).not.toContain(scheme);
    } finally {
      lease.release();
    }
  });
});

describe('limits', () => {
  it('refuses a package whose central directory declares more than maxDecompressedBytes', async () => {
    const { dir, path } = await inputFile('input.docx', await sampleOf('docx'));
    const error = await rejection(documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, 'out.pdf'), from: 'docx', to: 'pdf' }, { maxDecompressedBytes: 2_000 })));
    expect(error.code).toBe('limit_exceeded');
    expect(error.message).toMatch(/expands to \d+ bytes/);
  });

  it('refuses a presentation with more slides than maxPages before converting', async () => {
    const { dir, path } = await inputFile('input.pptx', await sampleOf('pptx'));
    const error = await rejection(documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, 'out.odp'), from: 'pptx', to: 'odp' }, { maxPages: 1 })));
    expect(error.code).toBe('limit_exceeded');
    expect(error.message).toContain('2 slides');
  });

  it('refuses a PDF output with more pages than maxPages, leaving no output', async () => {
    const longText = Array.from({ length: 150 }, (_, line) => `Line ${line} of a text long enough for several pages`).join('\n');
    const { dir, path } = await inputFile('input.txt', longText);
    const outputPath = join(dir, 'out.pdf');
    const error = await rejection(documentPlugin.convert(testContext({ inputPath: path, outputPath, from: 'txt', to: 'pdf' }, { maxPages: 2 })));
    expect(error.code).toBe('limit_exceeded');
    await expect(access(outputPath)).rejects.toThrow();
    // Under a larger limit the same text converts, to more than two pages.
    await documentPlugin.convert(testContext({ inputPath: path, outputPath, from: 'txt', to: 'pdf' }, { maxPages: 50 }));
    expect(pdfPageCount(await readFile(outputPath))).toBeGreaterThan(2);
  });

  it('kills a conversion that runs past timeoutMs, and the next document converts on a restarted listener', async () => {
    const { dir, path } = await inputFile('input.pptx', await sampleOf('pptx'));
    const started = performance.now();
    const error = await rejection(documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, 'slow.pdf'), from: 'pptx', to: 'pdf' }, { timeoutMs: 50 })));
    expect(error.code).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(2_000);
    await expect(access(join(dir, 'slow.pdf'))).rejects.toThrow();
    for (let round = 0; round < 3; round++) {
      await documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, `next-${round}.pdf`), from: 'pptx', to: 'pdf' }));
    }
  });
});

describe('bad input', () => {
  it.each([
    ['doc', 'input.doc', Buffer.from('this is not a Word file at all')],
    ['xlsx', 'input.xlsx', Buffer.from('PK\u0003\u0004 not really a zip')],
    ['rtf', 'input.rtf', Buffer.from('plain words, no rtf header')],
    ['txt', 'input.txt', Buffer.from([0x68, 0x69, 0x00, 0xff, 0x00])],
  ])('refuses a %s that is not one with invalid_input', async (from, name, bytes) => {
    const { dir, path } = await inputFile(name, bytes);
    const to = from === 'xlsx' ? 'ods' : 'pdf';
    const error = await rejection(documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, `out.${to}`), from, to })));
    expect(error.code).toBe('invalid_input');
  });

  it('refuses a zip without the format main part', async () => {
    // An ODT is a zip but has no word/document.xml.
    const { dir, path } = await inputFile('input.docx', await sampleOf('odt'));
    const error = await rejection(documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, 'out.pdf'), from: 'docx', to: 'pdf' })));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('word/document.xml');
  });

  it('converts HTML that LibreOffice itself wrote (undated meta tags that crash LibreOffice 7.4 are dropped)', async () => {
    const html = (await makeWithOffice((await inputFile('s.txt', `${sampleText.text[0]}\n`)).path, 'html')).toString('utf8');
    expect(html).toMatch(/<meta name="created" content="00:00:00"/);
    expect(withoutUndatedMeta(html)).not.toMatch(/name="(created|changed)"/);
    const { dir, path } = await inputFile('input.html', html);
    await documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, 'out.pdf'), from: 'html', to: 'pdf' }));
    expect(pdfPageCount(await readFile(join(dir, 'out.pdf')))).toBe(1);
  });

  it('keeps a real creation date', () => {
    const html = '<meta name="created" content="2024-03-01T10:00:00"/><meta name="changed" content="00:00:00"/>';
    expect(withoutUndatedMeta(html)).toBe('<meta name="created" content="2024-03-01T10:00:00"/>');
  });
});

describe('the pool', () => {
  it('queues conversions beyond its size and converts them all', async () => {
    const { dir, path } = await inputFile('input.odt', await sampleOf('odt'));
    const count = officeSettings().poolSize + 2;
    await Promise.all(
      Array.from({ length: count }, (_, index) =>
        documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, `out-${index}.docx`), from: 'odt', to: 'docx' })),
      ),
    );
    for (let index = 0; index < count; index++) expect((await readFile(join(dir, `out-${index}.docx`))).subarray(0, 2).toString()).toBe('PK');
  });

  it('a waiting conversion that is cancelled leaves the queue at once', async () => {
    const { dir, path } = await inputFile('input.odt', await sampleOf('odt'));
    const busy = Array.from({ length: officeSettings().poolSize }, (_, index) =>
      documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, `busy-${index}.pdf`), from: 'odt', to: 'pdf' })),
    );
    const controller = new AbortController();
    const waiting = documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, 'waiting.pdf'), from: 'odt', to: 'pdf', signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect((await rejection(waiting)).code).toBe('cancelled');
    await Promise.all(busy);
  });

  it('shutdownOfficePool stops every soffice.bin and removes the profiles; the next conversion starts a new pool', async () => {
    const pool = officePool();
    await pool.warm();
    await shutdownOfficePool();
    const { stdout } = await promisify(execFile)('ps', ['-eo', 'ppid,comm']);
    const ours = stdout.split('\n').filter((line) => line.trim().startsWith(`${process.pid} `) && line.includes('soffice'));
    expect(ours).toEqual([]);
    await expect(access(join(officeSettings().profileRoot, `profile-${process.pid}-0`))).rejects.toThrow();
    const { dir, path } = await inputFile('input.txt', 'after shutdown\n');
    await documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, 'out.odt'), from: 'txt', to: 'odt' }));
  });

  it('restarts a listener that died: after every soffice.bin of the pool is killed from outside, documents still convert', async () => {
    await officePool().warm();
    const { stdout } = await promisify(execFile)('ps', ['-eo', 'pid,ppid,comm']);
    const listeners = stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, ppid, command]) => ppid === String(process.pid) && command?.startsWith('soffice'))
      .map(([pid]) => Number(pid));
    expect(listeners.length).toBe(officeSettings().poolSize);
    for (const pid of listeners) process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { dir, path } = await inputFile('input.txt', 'after a crash\n');
    for (let round = 0; round < officeSettings().poolSize + 1; round++) {
      await documentPlugin.convert(testContext({ inputPath: path, outputPath: join(dir, `revived-${round}.pdf`), from: 'txt', to: 'pdf' }));
      expect(pdfPageCount(await readFile(join(dir, `revived-${round}.pdf`)))).toBe(1);
    }
  });

  it('probe answers ok here', async () => {
    expect(await documentPlugin.probe!()).toEqual({ ok: true });
  });

  it('makes its samples from generated sources', async () => {
    const pptx = await sampleOf('pptx');
    expect(pptx.subarray(0, 2).toString()).toBe('PK');
    expect(flatPresentation(['a'])).toContain('<draw:page');
  });
});
