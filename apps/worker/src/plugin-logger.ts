import type { PluginLogger } from '@conveyor/contracts';
import type { Logger } from 'pino';

/** The plugin-facing logger over the worker's: plugins log a message with fields, pino wants them the other way round. */
export function pluginLogger(log: Logger): PluginLogger {
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}
