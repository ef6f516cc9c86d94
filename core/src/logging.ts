import { destination, pino, type Logger } from 'pino';

export type { Logger };

/** Structured logs on stderr, so that stdout stays free for the CLI's own output. */
export function createLogger(level: string, name = 'conveyor'): Logger {
  return pino({ name, level }, destination(2));
}
