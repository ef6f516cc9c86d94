import { AppError } from '@conveyor/contracts';
import { loadWebAssets, webPageEntry, webPageSecurityPolicy, type WebAsset } from '@conveyor/web';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from './route-plugin.js';

const hidden = { schema: { hide: true } };

/**
 * The web page (apps/web) at `/`, and its scripts and styles under `/web/`. It needs no
 * credentials to load: it opens an anonymous session of its own and calls the API like any
 * client. Revalidated on every load (ETag), so a new release shows at once.
 */
export const webPageRoutes: RoutePlugin = async (app) => {
  const assets = await loadWebAssets();
  const send = (request: FastifyRequest, reply: FastifyReply, asset: WebAsset) => {
    void reply
      .header('etag', asset.etag)
      .header('cache-control', 'no-cache')
      .header('content-security-policy', webPageSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.contentType).send(asset.body);
  };

  app.get('/', hidden, async (request, reply) => send(request, reply, assets.get(webPageEntry)!));
  app.get<{ Params: { asset: string } }>('/web/:asset', hidden, async (request, reply) => {
    const asset = assets.get(request.params.asset);
    if (!asset) throw new AppError('not_found', `the web page has no file ${request.params.asset}`);
    return send(request, reply, asset);
  });
};
