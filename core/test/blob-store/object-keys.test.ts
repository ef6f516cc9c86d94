import { describe, expect, it } from 'vitest';
import { InvalidBlobKeyError } from '../../src/blob-store/blob-key.js';
import { objectKeysUnder } from '../../src/blob-store/s3/object-keys.js';

describe('S3 object keys', () => {
  it('uses the blob key as it is when there is no prefix', () => {
    expect(objectKeysUnder()('org/o1/f1')).toBe('org/o1/f1');
  });

  it('puts the blob key under the prefix, with one slash between them whatever the prefix ends with', () => {
    expect(objectKeysUnder('deployments/eu')('org/o1/f1')).toBe('deployments/eu/org/o1/f1');
    expect(objectKeysUnder('/deployments/eu/')('org/o1/f1')).toBe('deployments/eu/org/o1/f1');
  });

  it('refuses a blob key that would climb out of the prefix', () => {
    expect(() => objectKeysUnder('deployments/eu')('../us/org/o1/f1')).toThrow(InvalidBlobKeyError);
  });
});
