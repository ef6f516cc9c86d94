import { afterAll } from 'vitest';
import { runPluginConformance } from '../../../test/plugin-conformance/index.js';
import { documentFormatIds } from '../src/formats.js';
import { documentPlugin, shutdownOfficePool } from '../src/index.js';
import { removeWorkDirs, sampleOf, verifyDocumentOutput } from './document-fixtures.js';

afterAll(async () => {
  await shutdownOfficePool();
  await removeWorkDirs();
});

runPluginConformance(documentPlugin, {
  samples: Object.fromEntries(documentFormatIds.map((format) => [format, () => sampleOf(format)])),
  // A real DOCX cut in half: a zip signature and local headers, but no central directory.
  corruptSample: {
    from: 'docx',
    bytes: async () => {
      const whole = await sampleOf('docx');
      return whole.subarray(0, Math.floor(whole.length / 2));
    },
  },
  verifyOutput: verifyDocumentOutput,
});
