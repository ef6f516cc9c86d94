import { conversionJobResource } from './definitions/conversion-job.js';
import { featureFlagResource } from './definitions/feature-flag.js';
import { fileResource } from './definitions/file.js';
import { settingResource } from './definitions/setting.js';
import { userResource } from './definitions/user.js';
import type { ResourceDefinition } from './resource-definition.js';

/** Every auto-CRUD resource: the routes are made from these, and `/api/_meta` lists them. */
export const resourceDefinitions: readonly ResourceDefinition[] = [fileResource, conversionJobResource, settingResource, featureFlagResource, userResource];

/**
 * The resource `name` names, by its singular name or its path's last segment.
 *
 * @example findResourceDefinition('files') === findResourceDefinition('file') // true
 */
export function findResourceDefinition(name: string): ResourceDefinition | undefined {
  return resourceDefinitions.find((definition) => definition.name === name || definition.path.split('/').at(-1) === name);
}
