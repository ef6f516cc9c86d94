import { access } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PluginError } from '@conveyor/contracts';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultLimits } from '../../../test/plugin-conformance/index.js';
import { imagePlugin } from '../src/index.js';
import { conversionContext, makeWorkDir, removeWorkDirs, testSvg, writeBytes } from './image-fixtures.js';

afterEach(removeWorkDirs);

/** A local server standing in for anything outside the file: every request it gets is a leak. */
let server: Server;
let origin: string;
const requests: string[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const exists = (path: string) => access(path).then(() => true, () => false);
const svgOpen = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="30">';

async function convertSvg(svg: string | Buffer, options: Record<string, unknown> = {}, limits = defaultLimits) {
  const dir = await makeWorkDir();
  const inputPath = await writeBytes(dir, 'input.svg', typeof svg === 'string' ? Buffer.from(svg) : svg);
  const outputPath = join(dir, 'output.png');
  await imagePlugin.convert(conversionContext({ inputPath, outputPath, from: 'svg', to: 'png', options, limits }).ctx);
  return sharp(outputPath).raw().toBuffer({ resolveWithObject: true });
}

async function expectRefused(svg: string | Buffer, message: RegExp, code = 'invalid_input') {
  const dir = await makeWorkDir();
  const inputPath = await writeBytes(dir, 'input.svg', typeof svg === 'string' ? Buffer.from(svg) : svg);
  const outputPath = join(dir, 'output.png');
  const error = await imagePlugin.convert(conversionContext({ inputPath, outputPath, from: 'svg', to: 'png' }).ctx).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(PluginError);
  expect((error as PluginError).code).toBe(code);
  expect((error as PluginError).message).toMatch(message);
  expect(await exists(outputPath)).toBe(false);
}

/** Waits a moment, so that a request made in the background would have arrived, then checks none did. */
async function expectNoRequests() {
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(requests).toEqual([]);
}

describe('SVG input', () => {
  it('rasterises at its own size by default, and at a requested width by raising the density', async () => {
    expect((await convertSvg(testSvg(64, 48))).info).toMatchObject({ width: 64, height: 48 });
    expect((await convertSvg(testSvg(64, 48), { width: 640 })).info).toMatchObject({ width: 640, height: 480 });
    expect((await convertSvg(testSvg(64, 48), { density: 144 })).info).toMatchObject({ width: 128, height: 96 });
  });

  it('draws a requested size sharply: the edge of a shape stays a hard edge', async () => {
    const { data, info } = await convertSvg(`${svgOpen}<rect width="20" height="30" fill="#000"/><rect x="20" width="20" height="30" fill="#fff"/></svg>`, { width: 400 });
    const at = (x: number) => data[(150 * info.width + x) * info.channels]!;
    expect([at(198), at(199), at(200), at(201)]).toEqual([0, 0, 255, 255]);
  });

  it('refuses a density that would draw more pixels than the limit', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeBytes(dir, 'input.svg', Buffer.from(testSvg(64, 48)));
    const { ctx } = conversionContext({ inputPath, outputPath: join(dir, 'o.png'), from: 'svg', to: 'png', options: { density: 7200 }, limits: { ...defaultLimits, maxPixels: 1_000_000 } });
    const error = await imagePlugin.convert(ctx).then(() => undefined, (caught: unknown) => caught);
    expect((error as PluginError).code).toBe('limit_exceeded');
  });

  it('refuses an SVG declaring 100000×100000 before drawing it', async () => {
    await expectRefused(`<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><rect width="10" height="10"/></svg>`, /more than the allowed/, 'limit_exceeded');
  });

  it('refuses an external entity (XXE) reading a local file', async () => {
    await expectRefused(`<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${svgOpen}<text y="20">&xxe;</text></svg>`, /entities/);
  });

  it('refuses nested entities ("billion laughs")', async () => {
    const laughs = Array.from({ length: 9 }, (_unused, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`).join('');
    await expectRefused(`<!DOCTYPE svg [<!ENTITY lol0 "lol">${laughs}]>${svgOpen}<text>&lol9;</text></svg>`, /entities/);
  });

  it.each([
    ['an <image href> to a local HTTP server', (url: string) => `${svgOpen}<image href="${url}/x.png" width="10" height="10"/></svg>`],
    ['an <image xlink:href>', (url: string) => `${svgOpen}<image xlink:href="${url}/x.png" width="10" height="10"/></svg>`],
    ['a <use> of another file', (url: string) => `${svgOpen}<use href="${url}/sprites.svg#icon"/></svg>`],
    ['a fill url(…) in a style attribute', (url: string) => `${svgOpen}<rect width="5" height="5" style="fill: url('${url}/p.svg#g')"/></svg>`],
    ['a filter attribute url(…)', (url: string) => `${svgOpen}<rect width="5" height="5" filter="url(${url}/f.svg#f)"/></svg>`],
    ['a CSS-escaped url(…) in a <style>', (url: string) => `${svgOpen}<style>rect { fill: u\\72l(${url}/p.svg#g) }</style></svg>`],
    ['an @import in a <style> CDATA section', (url: string) => `${svgOpen}<style><![CDATA[@import "${url}/s.css";]]></style></svg>`],
    ['an <?xml-stylesheet?>', (url: string) => `<?xml-stylesheet type="text/css" href="${url}/s.css"?>${svgOpen}</svg>`],
    ['an href spelled with character references', (url: string) => `${svgOpen}<image href="${url.replace('http', 'h&#116;tp')}/x.png" width="9" height="9"/></svg>`],
    ['an href that text before it tries to hide as an attribute value', (url: string) => `${svgOpen}<text>a="</text><image href="${url}/x.png" width="9" height="9"/><text>"</text></svg>`],
    ['an SVG inside a data: URI that refers out', (url: string) => `${svgOpen}<image width="9" height="9" href="data:image/svg+xml;base64,${Buffer.from(`${svgOpen}<image href="${url}/x.png"/></svg>`).toString('base64')}"/></svg>`],
    ['an XInclude', (url: string) => `${svgOpen}<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${url}/part.svg"/></svg>`],
  ])('refuses %s, and nothing is requested', async (_label, make) => {
    await expectRefused(make(origin), /refers to|@import|stylesheet/);
    await expectNoRequests();
  });

  it('refuses an <image href="file:///…">', async () => {
    await expectRefused(`${svgOpen}<image href="file:///usr/share/pixmaps/debian-logo.png" width="9" height="9"/></svg>`, /file:\/\//);
  });

  it('cuts out an external DTD declaration and converts, without fetching it', async () => {
    const { info } = await convertSvg(`<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "${origin}/svg11.dtd">\n${svgOpen}<rect width="40" height="30"/></svg>`);
    expect([info.width, info.height]).toEqual([40, 30]);
    await expectNoRequests();
  });

  it('draws data: images and #fragment references', async () => {
    const red = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#ff0000' } }).png().toBuffer();
    const { data, info } = await convertSvg(
      `${svgOpen}<defs><rect id="r" width="10" height="30" fill="#0000ff"/></defs><image href="data:image/png;base64,${red.toString('base64')}" width="40" height="30" preserveAspectRatio="none"/><use xlink:href="#r"/><a href="https://example.com/"><rect x="39" width="1" height="1" fill="#00ff00"/></a></svg>`,
    );
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    expect(pixel(30, 15)).toEqual([255, 0, 0]);
    expect(pixel(5, 15)).toEqual([0, 0, 255]);
  });

  it('refuses compressed (svgz) and UTF-16 SVG, which would slip past the checks', async () => {
    await expectRefused(gzipSync(Buffer.from(testSvg(8, 8))), /gzip/);
    await expectRefused(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(testSvg(8, 8), 'utf16le')]), /UTF-8/);
  });
});
