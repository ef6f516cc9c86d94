import { PluginError } from '@conveyor/contracts';
import { formatName } from './formats.js';

interface FailureContext {
  from: string;
  to: string;
  maxPixels: number;
}

/**
 * Turns a sharp failure into the PluginError a client can act on. sharp reports libvips
 * failures as plain Errors, told apart only by their messages; anything else (a disk or
 * permission error, a missing input the host should have provided) is not the input's fault
 * and is rethrown unchanged.
 */
export function describeSharpFailure(error: unknown, context: FailureContext): unknown {
  if (error instanceof PluginError || !(error instanceof Error)) return error;
  if ('code' in error || error.message.startsWith('Input file is missing')) return error;
  const { message } = error;
  if (message.includes('exceeds pixel limit')) {
    return new PluginError('limit_exceeded', `the ${formatName(context.from)} image has more than the allowed ${context.maxPixels} pixels`);
  }
  if (message.includes('too large for the')) {
    return new PluginError('limit_exceeded', `the image is too large to encode as ${formatName(context.to)}: ${message}`);
  }
  if (message.startsWith('timeout:')) {
    return new PluginError('timeout', `image conversion ran out of time (${message})`);
  }
  return new PluginError('invalid_input', `the input is not a readable ${formatName(context.from)} image: ${message}`);
}
