import { PluginError } from '@conveyor/contracts';
import { expect } from 'vitest';
import { describeError, type TimedOutcome } from '../outcomes.js';

/**
 * The outcome is a rejection with a PluginError, the only failure the worker reports with the
 * plugin's own code; anything else thrown becomes `conversion_failed`. The class must be the
 * one from the host's `@conveyor/contracts` (a bundled copy fails `instanceof`).
 */
export function expectPluginError(outcome: TimedOutcome<void>, conversion: string, waitedMs: number): PluginError {
  if (outcome.state === 'pending') return expect.unreachable(`${conversion}: still running ${waitedMs} ms later`);
  if (outcome.state === 'resolved') return expect.unreachable(`${conversion}: resolved where it should have failed`);
  const { error } = outcome;
  expect(error instanceof PluginError, `${conversion}: threw ${describeError(error)}, not a PluginError from @conveyor/contracts`).toBe(true);
  const { code, message } = error as PluginError;
  expect(typeof code === 'string' && code.length > 0, `${conversion}: PluginError without a code`).toBe(true);
  expect(message.length, `${conversion}: PluginError without a message`).toBeGreaterThan(0);
  return error as PluginError;
}
