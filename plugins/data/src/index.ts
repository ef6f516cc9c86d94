import { definePlugin } from '@conveyor/contracts';
import { dataCapabilities } from './capabilities.js';
import { convertData } from './convert.js';
import { dataFormats } from './formats.js';
import { probeDataLibraries } from './probe.js';
import { makeDataTemplate } from './templates.js';

/** Structured-data conversions: tables (CSV, TSV, NDJSON, xlsx) and trees (JSON, YAML, XML, TOML). */
export const dataPlugin = definePlugin({
  id: 'data',
  // Kept equal to package.json's version (the package is built from src/ only, so it cannot import it).
  version: '0.1.0',
  formats: dataFormats,
  capabilities: dataCapabilities,
  probe: probeDataLibraries,
  convert: convertData,
  template: makeDataTemplate,
});

export default dataPlugin;
export { dataCapabilities } from './capabilities.js';
export { dataFormatIds, dataFormats, type DataFormatId } from './formats.js';
export { parseDataOptions, type DataOptions } from './options.js';
