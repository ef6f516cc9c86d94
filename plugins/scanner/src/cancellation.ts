import { PluginError } from '@conveyor/contracts';

export function cancelledError(): PluginError {
  return new PluginError('cancelled', 'scan cancelled');
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}
