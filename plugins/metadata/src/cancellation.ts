import { rm } from 'node:fs/promises';
import { PluginError } from '@conveyor/contracts';

export function cancelledError(): PluginError {
  return new PluginError('cancelled', 'metadata task cancelled');
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}

/** Deletes a partial or unwanted output; a file that was never written is fine. */
export async function removeOutput(path: string): Promise<void> {
  await rm(path, { force: true });
}
