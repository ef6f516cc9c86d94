import { blobKeySegments } from '../blob-key.js';

/**
 * Maps blob keys to object keys under an optional prefix, so that one bucket can hold several
 * deployments. The blob key is checked first: a key like `../x` must not reach outside the prefix.
 *
 * @example objectKeysUnder('conveyor/')('org/o1/f1') // → 'conveyor/org/o1/f1'
 */
export function objectKeysUnder(prefix = ''): (blobKey: string) => string {
  // Slashes at either end are tolerated in configuration, never doubled in keys.
  const folder = prefix.replace(/^\/+|\/+$/g, '');
  return (blobKey) => {
    const segments = blobKeySegments(blobKey);
    return folder === '' ? segments.join('/') : `${folder}/${segments.join('/')}`;
  };
}
