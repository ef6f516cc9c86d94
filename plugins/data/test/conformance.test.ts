import { afterAll, expect } from 'vitest';
import { runPluginConformance } from '../../../test/plugin-conformance/index.js';
import { dataPlugin } from '../src/index.js';
import { decodeOutput, expectedRecords, recordsIn, removeWorkDirs, samples } from './data-fixtures.js';

afterAll(removeWorkDirs);

runPluginConformance(dataPlugin, {
  samples,
  // Valid JSON up to a missing value: text formats accept any bytes, so the corruption must be one the parser itself notices.
  corruptSample: { from: 'json', bytes: async () => Buffer.from('[\n  {"id": 1, "name": "Ada"},\n  {"id": 2, "name": }\n]\n') },
  // Every output is parsed back with an independent parser and must hold the sample's records,
  // with types where both formats keep them (whatever wrapping the target format needs).
  verifyOutput: async ({ from, to, bytes }) => {
    const decoded = await decodeOutput(to, bytes);
    expect(recordsIn(decoded), `${from} → ${to}: the output's records`).toEqual(expectedRecords(from, to));
  },
});
