/** What S3 said about a failed request, as far as the adapter needs to tell failures apart. */
interface S3ServiceFailure {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (error: unknown) => (error as S3ServiceFailure | undefined)?.$metadata?.httpStatusCode;
const nameOf = (error: unknown) => (error as S3ServiceFailure | undefined)?.name;

/**
 * True when the object (or, for HeadBucket, the bucket) does not exist. A HEAD response has no
 * body to name the error, so the SDK calls it `NotFound` and only the status tells.
 */
export function isNotFound(error: unknown): boolean {
  const name = nameOf(error);
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket' || statusOf(error) === 404;
}

/** True when a range starts past the end of the object (HTTP 416). */
export function isUnsatisfiableRange(error: unknown): boolean {
  return nameOf(error) === 'InvalidRange' || statusOf(error) === 416;
}

/** True when the credentials may not use the bucket. */
export function isAccessDenied(error: unknown): boolean {
  return nameOf(error) === 'AccessDenied' || nameOf(error) === 'Forbidden' || statusOf(error) === 403;
}
