import type { PluginDefinition, ProbeResult } from '@conveyor/contracts';
import { expect } from 'vitest';
import { describeError, outcomeBy, outcomeOf } from '../outcomes.js';

/** A probe looks around (a binary, a library); it must not take longer than a start-up can wait. */
const probeWithinMs = 10_000;

/** The probe, if the plugin has one, answers `{ ok: true }` or `{ ok: false, reason }` with a reason a person can read. */
export async function checkProbe(plugin: PluginDefinition): Promise<void> {
  if (!plugin.probe) return;
  const result: unknown = await runProbe(plugin);
  const answer = result as Partial<{ ok: unknown; reason: unknown }> | null;
  const valid =
    typeof answer === 'object' &&
    answer !== null &&
    (answer.ok === true || (answer.ok === false && typeof answer.reason === 'string' && answer.reason.trim() !== ''));
  expect(valid, `probe answered ${JSON.stringify(result)}, not { ok: true } or { ok: false, reason: '…' }`).toBe(true);
}

/** Conversions are checked only where the plugin can run: a failing probe is reported with its reason. */
export async function expectRunnableHere(plugin: PluginDefinition): Promise<void> {
  if (!plugin.probe) return;
  const result = await runProbe(plugin);
  const reason = result.ok ? '' : result.reason;
  expect(result.ok, `the probe says ${plugin.id} cannot run here (${reason}), so its conversions cannot be checked`).toBe(true);
}

async function runProbe(plugin: PluginDefinition): Promise<ProbeResult> {
  const outcome = await outcomeBy(outcomeOf(() => plugin.probe!()), performance.now() + probeWithinMs);
  if (outcome.state === 'pending') return expect.unreachable(`probe did not answer within ${probeWithinMs} ms`);
  if (outcome.state === 'rejected') return expect.unreachable(`probe threw ${describeError(outcome.error)}; it should answer { ok: false, reason } instead`);
  return outcome.value;
}
