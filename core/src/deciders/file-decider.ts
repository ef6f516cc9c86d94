import type { FileCommand, FileEvent, StoredBlob } from '@conveyor/contracts';
import type { Decider } from './decider.js';

export type FileState = { exists: false } | { exists: true; blob: StoredBlob; name: string };

/** A file is registered once; registering it again (a redelivered command) changes nothing. */
export const fileDecider: Decider<FileState, FileCommand, FileEvent> = {
  initialState: () => ({ exists: false }),

  evolve(state, event) {
    switch (event.type) {
      case 'FileUploaded': {
        const { blob_key, size, sha256, format, mime, name } = event.data;
        return { exists: true, blob: { blob_key, size, sha256, format, mime }, name };
      }
      default:
        return state;
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterUpload':
        return state.exists ? [] : [{ type: 'FileUploaded', data: command.data }];
    }
  },
};
