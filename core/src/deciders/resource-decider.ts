import type { ResourceCommand, ResourceEvent } from '@conveyor/contracts';
import { CommandRejectedError, type Decider } from './decider.js';

export type ResourceState = { phase: 'none' } | { phase: 'live' | 'deleted'; resource: string; data: Record<string, unknown> };

/**
 * One record of a generic auto-CRUD resource (a setting, a feature flag, a user, an API key):
 * created once, updated while it lives, deleted once. Repeats decide nothing; a change to a
 * record that does not live is refused, so that a client learns it was gone.
 */
export const resourceDecider: Decider<ResourceState, ResourceCommand, ResourceEvent> = {
  initialState: () => ({ phase: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'ResourceCreated':
        return { phase: 'live', resource: event.data.resource, data: event.data.data };
      case 'ResourceUpdated':
        return state.phase === 'live' ? { ...state, data: { ...state.data, ...event.data.changes } } : state;
      case 'ResourceDeleted':
        return state.phase === 'live' ? { ...state, phase: 'deleted' } : state;
    }
  },

  decide(command, state, { now }) {
    const at = now.toISOString();
    if (command.type === 'CreateResource') {
      return state.phase === 'none' ? [{ type: 'ResourceCreated', data: { ...command.data, created_at: at } }] : [];
    }
    if (state.phase === 'none' || state.resource !== command.data.resource) throw new CommandRejectedError('not_found', `no such ${command.data.resource}`);
    if (state.phase === 'deleted') {
      if (command.type === 'DeleteResource') return [];
      throw new CommandRejectedError('not_found', `the ${command.data.resource} was deleted`);
    }
    if (command.type === 'DeleteResource') return [{ type: 'ResourceDeleted', data: { ...command.data, deleted_at: at } }];
    return [{ type: 'ResourceUpdated', data: { ...command.data, updated_at: at } }];
  },
};
