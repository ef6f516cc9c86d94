import { FixedWindowLimiter, systemClock, type RateLimitWindows } from '@conveyor/core';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApiServer } from '../../src/index.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';

/**
 * Counts start again each minute: a test that makes its requests across a minute boundary
 * would see its count reset. Starting well inside a window keeps the tests deterministic.
 */
async function awayFromWindowEnd(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
}

function rateLimitHeaders(response: LightMyRequestResponse) {
  return {
    limit: response.headers['x-ratelimit-limit'],
    remaining: response.headers['x-ratelimit-remaining'],
    reset: Number(response.headers['x-ratelimit-reset']),
  };
}

function expectRefused(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(429);
  expect(response.json()).toEqual({ error: { code: 'rate_limit_exceeded', message: expect.stringMatching(/requests per minute/) } });
  expect(response.headers['retry-after']).toBe(response.headers['x-ratelimit-reset']);
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
  expect(response.headers['x-ratelimit-remaining']).toBe('0');
}

/** Windows whose database is unreachable. */
const unreachableWindows: RateLimitWindows = {
  increment: async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  },
  peek: async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  },
};

describe('rate limit per org', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false, env: { PLAN_LIMITS: '{"free":{"requests_per_minute":3},"pro":{"requests_per_minute":7}}' } });
  });
  afterAll(() => harness.close());
  beforeEach(awayFromWindowEnd);

  const usage = (app: FastifyInstance, authorization: string) => app.inject({ method: 'GET', url: '/api/usage', headers: { authorization } });

  it("reports the org's standing on every authenticated response: its plan's limit, what is left, and when the window resets", async () => {
    const { authorization } = await harness.session();
    const answers = [await usage(harness.app, authorization), await usage(harness.app, authorization), await usage(harness.app, authorization)];

    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    expect(answers.map((answer) => rateLimitHeaders(answer).remaining)).toEqual(['2', '1', '0']);
    for (const answer of answers) {
      const { limit, reset } = rateLimitHeaders(answer);
      expect(limit).toBe('3');
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(60);
      expect(answer.headers['x-request-id']).toMatch(/^[0-9a-z]{26}$/);
    }
  });

  it('refuses the fourth request in a minute with 429 rate_limit_exceeded and Retry-After', async () => {
    const { authorization } = await harness.session();
    for (let i = 0; i < 3; i++) expect((await usage(harness.app, authorization)).statusCode).toBe(200);

    const refused = await usage(harness.app, authorization);

    expectRefused(refused);
    expect(refused.headers['x-request-id']).toMatch(/^[0-9a-z]{26}$/);
  });

  it("counts each org on its own: one org over its limit does not refuse another's requests", async () => {
    const busy = await harness.session();
    for (let i = 0; i < 4; i++) await usage(harness.app, busy.authorization);
    const quiet = await harness.session();

    const answer = await usage(harness.app, quiet.authorization);

    expect(answer.statusCode).toBe(200);
    expect(rateLimitHeaders(answer).remaining).toBe('2');
  });

  it('shares the count between api processes over the same database', async () => {
    const second = await buildApiServer(harness.deps);
    try {
      const { authorization } = await harness.session();
      expect((await usage(harness.app, authorization)).statusCode).toBe(200);
      expect((await usage(second, authorization)).statusCode).toBe(200);

      const third = await usage(harness.app, authorization);
      expect(third.statusCode).toBe(200);
      expect(rateLimitHeaders(third).remaining).toBe('0');

      expectRefused(await usage(second, authorization));
    } finally {
      await second.close();
    }
  });

  it("lets requests through, uncounted, when the limiter's database cannot be reached", async () => {
    const logged: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(line) });
    const cutOff = await buildApiServer({ ...harness.deps, logger, rateLimiter: new FixedWindowLimiter(unreachableWindows, systemClock) });
    try {
      const { authorization } = await harness.session();
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await usage(cutOff, authorization));

      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200, 200]);
      expect(answers.map((answer) => rateLimitHeaders(answer).remaining)).toEqual(['3', '3', '3', '3', '3']);
      const publicAnswer = await cutOff.inject({ method: 'GET', url: '/api/formats' });
      expect(publicAnswer.statusCode).toBe(200);
      expect(publicAnswer.headers['x-ratelimit-limit']).toBe('600');
      expect(logged.filter((line) => line.includes('rate limit not checked'))).toHaveLength(6);
    } finally {
      await cutOff.close();
    }
  });
});

describe("rate limit per org takes the org's plan", () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false, env: { DEFAULT_PLAN: 'pro', PLAN_LIMITS: '{"free":{"requests_per_minute":3},"pro":{"requests_per_minute":7}}' } });
  });
  afterAll(() => harness.close());

  it("limits an org on the pro plan to the pro plan's requests per minute", async () => {
    const { authorization } = await harness.session();
    const answer = await harness.app.inject({ method: 'GET', url: '/api/usage', headers: { authorization } });
    expect(answer.statusCode).toBe(200);
    expect(rateLimitHeaders(answer).limit).toBe('7');
  });
});

describe('rate limit per address, for callers without a session', () => {
  let harness: ApiHarness;
  let addresses = 0;
  /** A fresh caller address per test, so that each test counts from zero. */
  let address: string;
  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false, env: { RATE_LIMIT_PUBLIC_PER_MINUTE: '3' } });
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    await awayFromWindowEnd();
    address = `203.0.113.${++addresses}`;
  });

  const get = (url: string, remoteAddress = address, headers: Record<string, string> = {}) => harness.app.inject({ method: 'GET', url, remoteAddress, headers });

  it('reports the standing on public responses and refuses the fourth request in a minute from one address', async () => {
    const answers = [await get('/api/formats'), await get('/api/formats/png'), await get('/api/convert/formats')];
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    expect(answers.map((answer) => rateLimitHeaders(answer))).toEqual([
      { limit: '3', remaining: '2', reset: expect.any(Number) },
      { limit: '3', remaining: '1', reset: expect.any(Number) },
      { limit: '3', remaining: '0', reset: expect.any(Number) },
    ]);

    expectRefused(await get('/api/formats'));
    expect((await get('/api/formats', '198.51.100.1')).statusCode).toBe(200);
  });

  it('counts session creation and unknown routes against the address too', async () => {
    const session = await harness.app.inject({ method: 'POST', url: '/api/anon/session', remoteAddress: address });
    expect(session.statusCode).toBe(200);
    expect(rateLimitHeaders(session).remaining).toBe('2');
    const unknown = await get('/api/nothing-here');
    expect(unknown.statusCode).toBe(404);
    expect(rateLimitHeaders(unknown).remaining).toBe('1');
  });

  it('never refuses health, the OpenAPI document or the docs, and does not count them', async () => {
    for (let i = 0; i < 4; i++) expect((await get('/api/health')).statusCode).toBe(200);
    const health = await get('/api/health');
    expect(rateLimitHeaders(health)).toMatchObject({ limit: '3', remaining: '3' });

    for (let i = 0; i < 4; i++) await get('/api/formats');
    expectRefused(await get('/api/formats'));
    for (const url of ['/api/health', '/openapi.json', '/docs/']) {
      const answer = await get(url);
      expect(answer.statusCode, url).toBe(200);
      expect(rateLimitHeaders(answer), url).toMatchObject({ limit: '3', remaining: '0' });
    }
  });

  it('counts refused credentials against the address: the 401 carries the headers, and guessing past the limit is refused', async () => {
    const guess = () => get('/api/auth/me', address, { 'x-api-key': 'cvk_not-a-key' });
    const refusals = [await guess(), await guess(), await guess()];
    expect(refusals.map((answer) => answer.statusCode)).toEqual([401, 401, 401]);
    expect(refusals.map((answer) => rateLimitHeaders(answer).remaining)).toEqual(['2', '1', '0']);
    expectRefused(await guess());
  });

  it("leaves authenticated routes to the org's limit, whatever the address has used", async () => {
    const session = await harness.app.inject({ method: 'POST', url: '/api/anon/session', remoteAddress: address });
    const authorization = `Bearer ${session.json<{ token: string }>().token}`;
    for (let i = 0; i < 2; i++) await get('/api/formats');
    expectRefused(await get('/api/formats'));

    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await get('/api/usage', address, { authorization }));

    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    expect(answers.map((answer) => rateLimitHeaders(answer).limit)).toEqual(['300', '300', '300']);
    expect(answers.map((answer) => rateLimitHeaders(answer).remaining)).toEqual(['299', '298', '297']);
  });
});

describe('rate limit per address behind a proxy', () => {
  const proxy = '10.1.2.3';
  const fromProxy = (harness: ApiHarness, client: string) =>
    harness.app.inject({ method: 'GET', url: '/api/formats', remoteAddress: proxy, headers: { 'x-forwarded-for': client } });

  it('with TRUST_PROXY naming the proxy, counts each client it forwards on its own', async () => {
    const harness = await startApiHarness({ pipeline: false, env: { RATE_LIMIT_PUBLIC_PER_MINUTE: '2', TRUST_PROXY: '10.0.0.0/8' } });
    try {
      await awayFromWindowEnd();
      for (let i = 0; i < 2; i++) expect((await fromProxy(harness, '198.51.100.7')).statusCode).toBe(200);
      expectRefused(await fromProxy(harness, '198.51.100.7'));

      const other = await fromProxy(harness, '198.51.100.8');
      expect(other.statusCode).toBe(200);
      expect(rateLimitHeaders(other).remaining).toBe('1');
      // A peer outside the trusted network cannot pick its address by sending the header.
      const direct = () => harness.app.inject({ method: 'GET', url: '/api/formats', remoteAddress: '203.0.113.50', headers: { 'x-forwarded-for': '198.51.100.9' } });
      expect(rateLimitHeaders(await direct()).remaining).toBe('1');
      expect(rateLimitHeaders(await direct()).remaining).toBe('0');
      expect(rateLimitHeaders(await fromProxy(harness, '198.51.100.9')).remaining).toBe('1');
    } finally {
      await harness.close();
    }
  });

  it('with TRUST_PROXY as a hop count, takes the address the nearest trusted hop names', async () => {
    const harness = await startApiHarness({ pipeline: false, env: { RATE_LIMIT_PUBLIC_PER_MINUTE: '2', TRUST_PROXY: '1' } });
    try {
      await awayFromWindowEnd();
      // One hop trusted: the proxy's own claim (the last entry) counts, not what the client wrote before it.
      expect(rateLimitHeaders(await fromProxy(harness, '198.51.100.20, 192.0.2.1')).remaining).toBe('1');
      expect(rateLimitHeaders(await fromProxy(harness, '198.51.100.21, 192.0.2.1')).remaining).toBe('0');
      expect(rateLimitHeaders(await fromProxy(harness, '198.51.100.20, 192.0.2.2')).remaining).toBe('1');
    } finally {
      await harness.close();
    }
  });

  it('without TRUST_PROXY, ignores X-Forwarded-For: every client behind one proxy shares its address', async () => {
    const harness = await startApiHarness({ pipeline: false, env: { RATE_LIMIT_PUBLIC_PER_MINUTE: '2' } });
    try {
      await awayFromWindowEnd();
      expect((await fromProxy(harness, '198.51.100.7')).statusCode).toBe(200);
      expect((await fromProxy(harness, '198.51.100.8')).statusCode).toBe(200);
      expectRefused(await fromProxy(harness, '198.51.100.9'));
    } finally {
      await harness.close();
    }
  });
});
