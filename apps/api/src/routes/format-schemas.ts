/**
 * JSON Schemas of the format catalog's responses, so that /openapi.json documents them.
 * Fastify also serializes with them: an object schema drops any property it does not list,
 * so plugin-made objects (option schemas, preset params) are declared open.
 */
import { formatCategories } from '@conveyor/contracts';

const text = { type: 'string' } as const;
const count = { type: 'integer', minimum: 0 } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;

const formatProperties = {
  id: text,
  name: text,
  mime: text,
  extensions: { type: 'array', items: text },
  category: { type: 'string', enum: [...formatCategories] },
} as const;

export const formatSchema = {
  type: 'object',
  required: ['id', 'name', 'mime', 'extensions', 'category'],
  properties: formatProperties,
} as const;

const presetSchema = {
  type: 'object',
  required: ['id', 'label', 'params'],
  properties: { id: text, label: text, params: anyObject },
} as const;

const edgeSchema = {
  type: 'object',
  required: ['from', 'to', 'plugin', 'cost', 'lossy', 'presets', 'options'],
  properties: {
    from: text,
    to: text,
    plugin: text,
    cost: { type: 'number' },
    lossy: { type: 'boolean' },
    presets: { type: 'array', items: presetSchema },
    options: { ...anyObject, description: 'JSON Schema of the options this conversion accepts' },
  },
} as const;

const reachableTargetSchema = {
  type: 'object',
  required: ['to', 'hops'],
  properties: { to: text, hops: { type: 'integer', minimum: 1 } },
} as const;

export const capabilityGraphSchema = {
  type: 'object',
  required: ['formats', 'edges', 'reachable', 'direct_pairs', 'reachable_pairs', 'reachable_pairs_within_two_hops', 'max_hops'],
  properties: {
    formats: { type: 'array', items: formatSchema },
    edges: { type: 'array', items: edgeSchema },
    reachable: {
      type: 'object',
      description: 'Per source format, every target within max_hops conversions, with the fewest hops it takes',
      additionalProperties: { type: 'array', items: reachableTargetSchema },
    },
    direct_pairs: { ...count, description: 'Distinct (source, target) pairs one conversion joins' },
    reachable_pairs: { ...count, description: 'Distinct (source, target) pairs a plan of at most max_hops conversions joins' },
    reachable_pairs_within_two_hops: { ...count, description: 'Distinct (source, target) pairs a plan of one or two conversions joins' },
    max_hops: count,
  },
} as const;

export const formatListSchema = {
  type: 'object',
  required: ['formats'],
  properties: { formats: { type: 'array', items: formatSchema } },
} as const;

export const formatDetailSchema = {
  type: 'object',
  required: [...formatSchema.required, 'converts_to', 'converts_from'],
  properties: {
    ...formatProperties,
    converts_to: { type: 'array', items: text, description: 'Formats this one converts to within max_hops conversions' },
    converts_from: { type: 'array', items: text, description: 'Formats that convert to this one within max_hops conversions' },
  },
} as const;

export const fileConversionsSchema = {
  type: 'object',
  required: ['file_id', 'source_format', 'dimensions', 'conversions'],
  properties: {
    file_id: text,
    source_format: text,
    dimensions: {
      type: ['object', 'null'],
      description: "The image's width and height when its header says them, else null",
      properties: { width: count, height: count },
    },
    conversions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['target', 'hops', 'plugins', 'lossy', 'cost', 'options', 'presets'],
        properties: {
          target: text,
          hops: { type: 'integer', minimum: 1, description: 'Conversions in the plan the planner would make' },
          plugins: { type: 'array', items: text, description: 'The plugin of each step, in order' },
          lossy: { type: 'boolean', description: 'True when any step discards information' },
          cost: { type: 'number' },
          options: { ...anyObject, description: 'JSON Schema of the options (they apply to the final step), width and height defaulting to the source size' },
          presets: { type: 'array', items: presetSchema },
        },
      },
    },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: text, message: text } } },
} as const;
