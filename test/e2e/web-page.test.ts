import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConveyorApi } from '../../apps/web/public/api-client.js';
import { ConveyorProcess, freePort, waitForHealthy } from './support/conveyor-process.js';

/** Debian's Chromium, which .ci/run installs; another build with CHROMIUM_PATH. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A page with what went wrong in it kept: failed requests, console errors and uncaught exceptions. */
async function openPage(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

class MemoryTokens {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

describe('the web page (embedded deployment, in Chromium)', () => {
  let dataDir: string;
  let server: ConveyorProcess;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'conveyor-e2e-web-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = new ConveyorProcess('start', { DATA_DIR: dataDir, PORT: String(port) });
    // Running as root (CI) Chromium refuses its own sandbox; the page is ours and local.
    [browser] = await Promise.all([chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] }), waitForHealthy(baseUrl, server)]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the page at / with a strict content security policy, revalidated by ETag', async () => {
    const page = await fetch(`${baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/web/app.js">');
    const again = await fetch(`${baseUrl}/`, { headers: { 'if-none-match': page.headers.get('etag')! } });
    expect(again.status).toBe(304);
    for (const [asset, type] of [
      ['app.js', 'text/javascript; charset=utf-8'],
      ['styles.css', 'text/css; charset=utf-8'],
      ['icon.svg', 'image/svg+xml'],
    ]) {
      expect((await fetch(`${baseUrl}/web/${asset}`)).headers.get('content-type'), asset).toBe(type);
    }
    const missing = await fetch(`${baseUrl}/web/missing.js`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
  });

  it('converts an uploaded PNG to WebP with a preset and an option, and links the result', async () => {
    const { page, problems } = await openPage(browser, `${baseUrl}/`);
    const png = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#3080c0' } }).png().toBuffer();
    await page.setInputFiles('#file', { name: 'blue.png', mimeType: 'image/png', buffer: png });
    await page.locator('#convert:not([hidden])').waitFor();
    await expect.poll(() => page.textContent('#source')).toContain('blue.png · png');

    await page.selectOption('#target', 'webp');
    await page.selectOption('#preset', 'high');
    expect(await page.inputValue('[name=quality]')).toBe('92');
    await page.fill('[name=width]', '60');
    await page.click('#convert-button');

    const link = await page.locator('a.download').getAttribute('href', { timeout: 30_000 });
    // The link works without the page's session: it is signed.
    const output = await fetch(`${baseUrl}${link}`);
    expect(output.status).toBe(200);
    const { format, width, height } = await sharp(Buffer.from(await output.arrayBuffer())).metadata();
    expect({ format, width, height }).toEqual({ format: 'webp', width: 60, height: 40 });

    await expect.poll(() => page.locator('#files td[data-field=name]').allTextContents()).toEqual(expect.arrayContaining(['blue.png', 'blue.webp']));
    await expect.poll(() => page.locator('#jobs td[data-field=status]').allTextContents()).toEqual(['completed']);
    expect(await page.locator('#jobs td[data-field=file_id]').allTextContents()).toEqual(['blue.png']);
    expect(problems).toEqual([]);
  });

  it('shows the API’s refusal of an option, and starts no job', async () => {
    const { page, problems } = await openPage(browser, `${baseUrl}/`);
    await page.setInputFiles('#file', { name: 'note.csv', mimeType: 'text/csv', buffer: Buffer.from('name,city\nAda,London\n') });
    await page.locator('#convert:not([hidden])').waitFor();
    await page.selectOption('#target', 'json');
    await page.fill('[name=delimiter]', ';;');
    await page.click('#convert-button');
    await expect.poll(() => page.textContent('#error')).toBe('options.delimiter: must NOT have more than 1 characters');
    expect(await page.locator('#job').textContent()).toBe('');
    // The page's own session sees the CSV and no job for it.
    await expect.poll(() => page.locator('#files td[data-field=name]').allTextContents()).toContain('note.csv');
    expect(await page.locator('#jobs td[data-field=target_format]').allTextContents()).not.toContain('json');
    expect(problems.filter((problem) => !problem.includes('400'))).toEqual([]);
  });

  it('replaces a session the server no longer accepts, and keeps the new one', async () => {
    const tokens = new MemoryTokens();
    tokens.setItem('conveyor.session', 'not-a-token');
    const api = new ConveyorApi(baseUrl, tokens);
    const me = await api.start();
    expect(me.org_id).toEqual(expect.any(String));
    const stored = tokens.getItem('conveyor.session');
    expect(stored).not.toBe('not-a-token');
    await new ConveyorApi(baseUrl, tokens).start();
    expect(tokens.getItem('conveyor.session')).toBe(stored);
  });
});
