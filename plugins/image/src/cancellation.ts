import { rm } from 'node:fs/promises';
import { cancellationOf } from '@conveyor/contracts';

// libvips cannot stop an encode from outside: settleOrCancel lets one run on unheard.
export const { cancelledError, throwIfCancelled, settleOrCancel } = cancellationOf('image conversion');

/** Deletes a partial or unwanted output; a file that was never written is fine. */
export async function removeOutput(path: string): Promise<void> {
  await rm(path, { force: true });
}
