import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests import workspace packages from source; end-to-end tests run the built CLI instead.
export default defineConfig({
  resolve: {
    alias: {
      '@conveyor/contracts': source('./contracts/src/index.ts'),
      '@conveyor/core': source('./core/src/index.ts'),
      '@conveyor/plugin-image': source('./plugins/image/src/index.ts'),
      '@conveyor/plugin-media': source('./plugins/media/src/index.ts'),
      '@conveyor/plugin-document': source('./plugins/document/src/index.ts'),
      '@conveyor/plugin-pdf': source('./plugins/pdf/src/index.ts'),
      '@conveyor/plugin-data': source('./plugins/data/src/index.ts'),
      '@conveyor/plugin-scanner': source('./plugins/scanner/src/index.ts'),
      '@conveyor/plugin-metadata': source('./plugins/metadata/src/index.ts'),
      '@conveyor/api': source('./apps/api/src/index.ts'),
      '@conveyor/worker': source('./apps/worker/src/index.ts'),
      '@conveyor/web': source('./apps/web/src/index.ts'),
    },
  },
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
