import type { JsonSchema, PluginCapability, PluginPreset } from '@conveyor/contracts';
import { imageSourceFormats, pageFileFormats, rasterFormats, type RasterFormat } from './formats.js';
import { canLinearize } from './linearizer.js';
import { defaultDpi, maxDpi, maxWidth, minDpi } from './options.js';
import { maxMergeInputs } from './tools.js';

const renderProperties = {
  dpi: { type: 'integer', minimum: minDpi, maximum: maxDpi, default: defaultDpi, description: 'Rendering resolution in dots per inch.' },
  width: { type: 'integer', minimum: 1, maximum: maxWidth, description: 'Width of the rendered page in pixels; replaces dpi when given.' },
};

const qualityProperty = {
  quality: { type: 'integer', minimum: 1, maximum: 100, description: 'Encoder quality for JPEG and WebP: higher is larger and closer to the page.' },
};

function renderSchema(target: RasterFormat): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      page: { type: 'integer', minimum: 1, default: 1, description: 'The page to render, counted from 1.' },
      ...renderProperties,
      ...(target === 'png' ? {} : qualityProperty),
    },
  };
}

const zipSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pages_as: {
      enum: [...pageFileFormats],
      default: 'pdf',
      description: 'What each page becomes inside the zip: a one-page PDF (a split), or a rendered image.',
    },
    ...renderProperties,
    ...qualityProperty,
  },
};

function editSchema(linearizable: boolean): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      delete_pages: {
        oneOf: [
          { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 },
          { type: 'string', pattern: '^\\s*\\d+\\s*(-\\s*\\d+\\s*)?(,\\s*\\d+\\s*(-\\s*\\d+\\s*)?)*$' },
        ],
        description: 'Pages to delete, counted from 1 (after a merge, in the merged document): [2, 5] or "2,5,8" or "3-6".',
      },
      ...(linearizable ? { linearize: { type: 'boolean', default: false, description: 'Rewrite the PDF for fast web view (linearized).' } } : {}),
    },
  };
}

/** Text extraction and images to PDF take no options; the API refuses any given. */
const noOptionsSchema: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };

const linearizePreset: PluginPreset = { id: 'linearize', label: 'Web-optimised (fast web view)', params: { linearize: true } };

/**
 * The plugin's conversions. pdf → pdf edits (delete pages, merge, linearize); linearize and its
 * preset appear only where qpdf is installed, since MuPDF can no longer write linearized files.
 */
export function pdfCapabilities(linearizable = canLinearize()): PluginCapability[] {
  return (built[String(linearizable)] ??= buildCapabilities(linearizable));
}

const built: Record<string, PluginCapability[]> = {};

function buildCapabilities(linearizable: boolean): PluginCapability[] {
  return [
    ...rasterFormats.map((to) => ({ from: 'pdf', to, cost: 1, lossy: true, options: renderSchema(to) })),
    { from: 'pdf', to: 'zip', cost: 1, lossy: false, options: zipSchema },
    { from: 'pdf', to: 'txt', cost: 1, lossy: true, options: noOptionsSchema },
    ...imageSourceFormats.map((from) => ({ from, to: 'pdf', cost: 1, lossy: false, options: noOptionsSchema })),
    { from: 'pdf', to: 'pdf', cost: 1, lossy: false, maxInputs: maxMergeInputs, options: editSchema(linearizable), ...(linearizable ? { presets: [linearizePreset] } : {}) },
  ];
}
