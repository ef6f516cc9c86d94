import { afterEach, describe, expect, it } from 'vitest';
import { Telemetry } from '../../src/telemetry/telemetry.js';

describe('telemetry', () => {
  let telemetry: Telemetry | undefined;
  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
  });

  it('serves what its instruments recorded, and the process memory, at /metrics on a port of its own', async () => {
    telemetry = new Telemetry();
    const jobs = telemetry.meter.createCounter('conveyor.test.jobs', { description: 'Jobs seen by this test.' });
    jobs.add(2, { outcome: 'completed' });
    jobs.add(1, { outcome: 'failed' });
    const port = await telemetry.listen(0, '127.0.0.1');

    const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    expect(text).toContain('conveyor_test_jobs_total{outcome="completed"} 2');
    expect(text).toContain('conveyor_test_jobs_total{outcome="failed"} 1');
    expect(text).toMatch(/^process_memory_usage [1-9]\d*/m);
    expect(text).toMatch(/^v8js_memory_heap_used [1-9]\d*/m);

    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
  });

  it('stops serving on shutdown', async () => {
    const closing = new Telemetry();
    const port = await closing.listen(0, '127.0.0.1');
    await closing.shutdown();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
