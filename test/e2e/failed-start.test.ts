import { afterEach, describe, expect, it } from 'vitest';
import { ConveyorProcess } from './support/conveyor-process.js';
import { createTestDatabase, testNatsUrl, uniqueName } from './support/environment.js';
import { deleteNamespaceStreams } from './support/nats-streams.js';

/**
 * A start that fails late — plugins probed (LibreOffice and exiftool running), the database
 * opened and migrated, the NATS connection made — must still end the process, with the
 * reason. The failure used: stream replicas that a single NATS server refuses, as the test
 * server is (a clustered TEST_NATS_URL would accept them).
 */
describe('a start that fails once everything before the event log is open', () => {
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it.each(['worker', 'api'])('ends `conveyor %s` with the reason instead of leaving it running', async (command) => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const namespace = uniqueName('failed_start');
    cleanups.push(() => deleteNamespaceStreams(testNatsUrl, namespace));
    const starting = new ConveyorProcess(command, {
      NATS_URL: testNatsUrl,
      NATS_STREAM_REPLICAS: '3',
      CONVEYOR_NAMESPACE: namespace,
      DATABASE_URL: database.url,
      SESSION_SECRET: 'a-session-secret-for-this-test',
    });
    cleanups.push(async () => void (await starting.stop(1_000)));

    const exitCode = await Promise.race([starting.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 60_000))]);
    expect(exitCode, starting.log).toBe(1);
    expect(starting.log).toMatch(/conveyor: replicas > 1 not supported/);
    expect(starting.log).not.toContain('Conveyor is running');
  }, 90_000);
});
