import { AppError, type ErrorCode } from '@conveyor/contracts';
import type { onErrorAsyncHookHandler } from 'fastify';

/**
 * An error the client may retry after `seconds` (a rate limit, a full concurrent-job quota).
 * The delay travels in the error's details, so that whoever throws it needs no reply at hand.
 *
 * @example
 * throw retryableError('rate_limit_exceeded', 'rate limit of 300 requests per minute exceeded', 12);
 */
export function retryableError(code: ErrorCode, message: string, seconds: number): AppError {
  return new AppError(code, message, { retryAfterSeconds: seconds });
}

/** The seconds a retryable error asks the client to wait, if it is one. */
export function retryAfterSecondsOf(error: unknown): number | undefined {
  if (!(error instanceof AppError)) return undefined;
  const seconds = error.details?.retryAfterSeconds;
  return typeof seconds === 'number' ? seconds : undefined;
}

/**
 * An onError hook that sends `Retry-After` with a retryable error. Fastify runs it before the
 * error handler renders the body, and the handler keeps the headers already set.
 */
export const announceRetryAfter: onErrorAsyncHookHandler = async (_request, reply, error) => {
  const seconds = retryAfterSecondsOf(error);
  if (seconds !== undefined) reply.header('retry-after', Math.max(1, Math.ceil(seconds)));
};
