/**
 * Every error a client can see, with its HTTP status. One place, so that codes stay stable
 * and the API surfaces render them the same way.
 */
export const errorCatalog = {
  unauthorized: 401,
  /** The caller is known but may not do this (a scope or role it lacks). */
  forbidden: 403,
  /** The org's plan does not include this (preserve_metadata on the free plan). */
  plan_required: 403,
  invalid_parameter: 400,
  invalid_file_type: 400,
  unsupported_conversion: 400,
  not_found: 404,
  file_too_large: 413,
  /** A `Range` the file cannot satisfy (it starts past the end): the answer names the size instead. */
  range_not_satisfiable: 416,
  conflict: 409,
  /** The thing exists but is not ready to be read yet (a file's metadata before its probe). */
  not_ready: 409,
  /** The scanner found malware in the file: it is quarantined. */
  file_infected: 410,
  /** The scanner refused the file (a polyglot, a bomb, over a limit): it is quarantined. */
  file_rejected: 410,
  rate_limit_exceeded: 429,
  service_unavailable: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorCatalog;

/** An error meant for the client: a stable code, its HTTP status and a message. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = errorCatalog[code];
  }
}

/** Codes a conversion can end with (the job's `error_code`). */
export const conversionErrorCodes = [
  'conversion_failed',
  'invalid_input',
  'unsupported_conversion',
  'limit_exceeded',
  'timeout',
  'cancelled',
  'dead_lettered',
  'file_infected',
  'file_rejected',
  'metadata_strip_failed',
] as const;
export type ConversionErrorCode = (typeof conversionErrorCodes)[number] | (string & {});
