import { rm } from 'node:fs/promises';
import { cancellationOf } from '@conveyor/contracts';

export const { cancelledError, throwIfCancelled, settleOrCancel } = cancellationOf('PDF conversion');

/**
 * Lets pending events (a cancel among them) run, then checks the signal. MuPDF's calls are
 * synchronous: without a turn of the event loop between pages, a cancel would only be seen
 * once the whole document is done.
 */
export async function pauseForCancel(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  throwIfCancelled(signal);
}

/** Deletes a partial or unwanted output; a file that was never written is fine. */
export async function removeOutput(path: string): Promise<void> {
  await rm(path, { force: true });
}
