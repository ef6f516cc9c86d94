import type { RoutePlugin } from '../routes/route-plugin.js';
import { registerResourceRoutes } from './crud-routes.js';
import { resourceDefinitions } from './resource-catalog.js';

/** The auto-CRUD routes of every resource in the catalog. */
export const resourceRoutes: RoutePlugin = async (app, { deps }) => {
  // Uploads stream the body themselves (busboy); the parser only lets multipart requests through untouched.
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));
  for (const definition of resourceDefinitions) registerResourceRoutes(app, definition, deps);
};
