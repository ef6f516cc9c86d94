import { rm } from 'node:fs/promises';
import { cancellationOf } from '@conveyor/contracts';

export const { cancelledError, throwIfCancelled } = cancellationOf('metadata task');

/** Deletes a partial or unwanted output; a file that was never written is fine. */
export async function removeOutput(path: string): Promise<void> {
  await rm(path, { force: true });
}
