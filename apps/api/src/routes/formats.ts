import { AppError, type Format } from '@conveyor/contracts';
import { describeCapabilityGraph, describeFormat, findFormat, makeFormatTemplate, type CapabilityGraphDescription } from '@conveyor/core';
import { attachmentDisposition } from '../download/content-disposition.js';
import { capabilityGraphSchema, errorSchema, formatDetailSchema, formatListSchema } from './format-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

interface FormatParams {
  fmt: string;
}

const formatParamsSchema = {
  type: 'object',
  required: ['fmt'],
  properties: { fmt: { type: 'string', minLength: 1, maxLength: 64, description: 'A format id or one of its extensions' } },
} as const;

/** Reference routes: the OpenAPI document must not ask for the bearer token the rest of the API wants. */
const publicRoute = { security: [] };

/**
 * The format catalog and the capability graph: what can be converted to what, by whom, with
 * which options. Registered outside the authenticated scope: none of it belongs to an org.
 */
export const formatRoutes: RoutePlugin = async (app, { deps }) => {
  // The graph is fixed once the plugins are loaded, so its description is made once, on first use.
  let description: CapabilityGraphDescription | undefined;
  const graphDescription = () => (description ??= describeCapabilityGraph(deps.capabilities, deps.maxHops));

  const formatNamed = (name: string): Format => {
    const format = findFormat(graphDescription().formats, name);
    if (!format) throw new AppError('not_found', `format ${name} not found`);
    return format;
  };

  app.get('/api/convert/formats', { schema: { ...publicRoute, tags: ['Convert'], summary: 'The full capability graph (source → target pairs).', response: { 200: capabilityGraphSchema } } }, async () => graphDescription());

  app.get('/api/formats', { schema: { ...publicRoute, tags: ['Reference'], summary: 'The full format catalog.', response: { 200: formatListSchema } } }, async () => ({ formats: graphDescription().formats }));

  app.get<{ Params: FormatParams }>(
    '/api/formats/:fmt',
    { schema: { ...publicRoute, tags: ['Reference'], summary: "One format's detail.", params: formatParamsSchema, response: { 200: formatDetailSchema, 404: errorSchema } } },
    async (request) => describeFormat(graphDescription(), formatNamed(request.params.fmt)),
  );

  app.get<{ Params: FormatParams }>(
    '/api/formats/:fmt/template',
    {
      schema: {
        ...publicRoute,
        tags: ['Reference'],
        summary: 'Download a small example/template file for a format.',
        params: formatParamsSchema,
        response: {
          200: { description: 'A small valid example file of the format, made by a plugin', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const format = formatNamed(request.params.fmt);
      const bytes = await makeFormatTemplate(deps.capabilities, format.id);
      if (!bytes) throw new AppError('not_found', `no plugin makes a template of ${format.id}`);
      return reply
        .header('content-type', format.mime)
        .header('content-disposition', attachmentDisposition(`template.${format.extensions[0] ?? format.id}`))
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );
};
