import { expect } from 'vitest';
import type { Decider } from '../../src/deciders/decider.js';

export const fixedNow = new Date('2026-11-25T10:00:00.000Z');

/**
 * Reads as a specification: `given(pastEvents).when(command).then(expectedEvents)`.
 * The decider runs with the fixed clock `fixedNow`.
 */
export function deciderSpec<State, Command, Event>(decider: Decider<State, Command, Event>) {
  return (given: Event[]) => ({
    when: (command: Command) => {
      const decide = () => decider.decide(command, given.reduce(decider.evolve, decider.initialState()), { now: fixedNow });
      return {
        then: (expected: Event[]) => expect(decide()).toEqual(expected),
        thenThrows: (errorClass: new (...args: never[]) => Error, code?: string) => {
          let thrown: unknown;
          try {
            decide();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(errorClass);
          if (code) expect((thrown as { code: string }).code).toBe(code);
        },
      };
    },
  });
}
