/**
 * Where one attempt at an upload's bytes is stored. Each attempt gets its own key, so that two
 * PUTs racing for one file never write over each other: the one registered first keeps its
 * bytes, and the other deletes its own.
 */
export function uploadAttemptBlobKey(orgId: string, fileId: string, attemptId: string): string {
  return `org/${orgId}/uploads/${fileId}/${attemptId}`;
}
