/**
 * Business rules of one aggregate, free of I/O: `decide` turns a command into events
 * (possibly none) given the state folded from past events by `evolve`.
 */
export interface Decider<State, Command, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State, context: DecisionContext): Event[];
}

export interface DecisionContext {
  /** The time the decision is taken; events stamp it. */
  now: Date;
}

/** A command the aggregate refuses: the caller gets `code` back. */
export class CommandRejectedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CommandRejectedError';
  }
}
