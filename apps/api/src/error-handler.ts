import { AppError, type ErrorCode } from '@conveyor/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

/** Fastify's own client errors (schema validation, body parsing) carry a 4xx status code. */
function isFrameworkClientError(error: FastifyError): boolean {
  return typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500;
}

/**
 * The one error renderer of the native API: `{ error: { code, message } }`.
 * Anything that is not a client error is logged and answered as a bare 500, so that stack
 * traces and internal messages never reach the client.
 */
export function renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof AppError) {
    if (error.status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.code(error.status).send(errorBody(error.code, error.message));
    return;
  }
  if (isFrameworkClientError(error)) {
    const code: ErrorCode = error.statusCode === 413 ? 'file_too_large' : 'invalid_parameter';
    void reply.code(code === 'file_too_large' ? 413 : 400).send(errorBody(code, error.message));
    return;
  }
  request.log.error({ err: error }, 'unexpected error');
  void reply.code(500).send(errorBody('internal_error', 'internal error'));
}

export function renderNotFound(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send(errorBody('not_found', `no route for ${request.method} ${request.url}`));
}
