/** Where a step's output lives: fixed per job and step, so that a redelivered step overwrites its half-written twin. */
export function outputBlobKey(orgId: string, jobId: string, stepIndex: number): string {
  return `org/${orgId}/jobs/${jobId}/step-${stepIndex}`;
}

export function uploadBlobKey(orgId: string, fileId: string): string {
  return `org/${orgId}/files/${fileId}`;
}

/** Where the bytes of one in-place metadata rewrite of a file live (its next version). */
export function rewrittenFileBlobKey(orgId: string, fileId: string, requestId: string): string {
  return `org/${orgId}/versions/${fileId}/${requestId}`;
}
