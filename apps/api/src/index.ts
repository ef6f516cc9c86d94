export { buildApiServer } from './server.js';
export type { ApiDependencies, HealthReport } from './dependencies.js';
export { attachmentDisposition } from './download/content-disposition.js';
