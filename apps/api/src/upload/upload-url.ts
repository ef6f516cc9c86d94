/**
 * Where a client streams the bytes of an announced upload, relative to the API's origin.
 *
 * @example uploadDataPath('f1') // '/api/uploads/f1/data'
 */
export function uploadDataPath(fileId: string): string {
  return `/api/uploads/${encodeURIComponent(fileId)}/data`;
}
