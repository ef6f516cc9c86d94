import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('blob store configuration', () => {
  it('keeps blobs in BLOB_DIR when no S3 bucket is set', () => {
    expect(loadConfig({ BLOB_DIR: './blobs', S3_BUCKET: '' }).blobs).toEqual({ kind: 'local', dir: resolve('./blobs') });
  });

  it('keeps blobs in S3 when S3_BUCKET is set, with us-east-1 and virtual-hosted addressing by default', () => {
    expect(loadConfig({ S3_BUCKET: 'conveyor', BLOB_DIR: './blobs' }).blobs).toEqual({
      kind: 's3',
      bucket: 'conveyor',
      region: 'us-east-1',
      endpoint: undefined,
      forcePathStyle: false,
      accessKeyId: undefined,
      secretAccessKey: undefined,
      prefix: undefined,
    });
  });

  it('reads every S3 setting', () => {
    const blobs = loadConfig({
      S3_BUCKET: 'conveyor',
      S3_REGION: 'eu-central-1',
      S3_ENDPOINT: 'http://minio:9000',
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_PREFIX: 'eu',
    }).blobs;
    expect(blobs).toEqual({
      kind: 's3',
      bucket: 'conveyor',
      region: 'eu-central-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      accessKeyId: 'key',
      secretAccessKey: 'secret',
      prefix: 'eu',
    });
  });

  it('refuses an access key id without its secret', () => {
    expect(() => loadConfig({ S3_BUCKET: 'conveyor', S3_ACCESS_KEY_ID: 'key' })).toThrow('S3_ACCESS_KEY_ID');
  });

  it('refuses S3_FORCE_PATH_STYLE other than true or false', () => {
    expect(() => loadConfig({ S3_BUCKET: 'conveyor', S3_FORCE_PATH_STYLE: 'yes' })).toThrow('S3_FORCE_PATH_STYLE');
  });
});
