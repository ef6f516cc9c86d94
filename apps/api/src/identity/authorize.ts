import { AppError } from '@conveyor/contracts';
import type { onRequestAsyncHookHandler } from 'fastify';

/**
 * An onRequest hook, registered after `authenticate`, that refuses with 403 a caller whose
 * identity lacks the scope its route declares in `config.scope`. Routes that declare none are
 * open to every authenticated caller.
 */
export const authorize: onRequestAsyncHookHandler = async (request) => {
  const required = request.routeOptions.config.scope;
  if (required !== undefined && !request.identity.scopes.includes(required)) {
    throw new AppError('forbidden', `this needs the ${required} scope, which the caller does not have`);
  }
};
