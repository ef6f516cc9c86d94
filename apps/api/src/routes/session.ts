import type { RoutePlugin } from './route-plugin.js';

/** Anonymous sessions: each token stands for a fresh, empty org of its own. */
export const sessionRoutes: RoutePlugin = async (app, { deps }) => {
  app.post('/api/anon/session', { schema: { tags: ['Account & usage'], summary: 'Mint an anonymous session token.', security: [] } }, async () => {
    const orgId = deps.ids.next();
    return { token: deps.sessions.issue(orgId) };
  });
};
