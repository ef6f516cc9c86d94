import { AppError, type JsonSchema, type PlanStep } from '@conveyor/contracts';
import type { CapabilityGraph } from '@conveyor/core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** The option every conversion takes, whatever its plugin: the host keeps or strips metadata itself. */
const hostOption = 'preserve_metadata';

// Plugins annotate their schemas (description, default) and may use keywords or formats this
// validator does not know: those are skipped, never a reason to refuse a request.
const ajv = new Ajv({ strict: false, validateFormats: false });

/** Compiled once per published schema: a capability's schema lives as long as its graph. */
const validators = new WeakMap<JsonSchema, ValidateFunction>();

function validatorOf(schema: JsonSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** The options schema of the capability a step runs, and whether its plugin keeps metadata itself. */
function capabilityOf(graph: CapabilityGraph, step: PlanStep) {
  const edge = graph.edgesFrom(step.from).find((candidate) => candidate.to === step.to && candidate.plugin === step.plugin);
  const plugin = graph.plugins.find((candidate) => candidate.id === step.plugin);
  return { schema: edge?.capability.options, handlesMetadata: plugin?.handlesMetadata === true };
}

function describe(error: ErrorObject, step: PlanStep): string {
  const path = `options${error.instancePath.replaceAll('/', '.')}`;
  if (error.keyword === 'additionalProperties') {
    return `${path}.${String(error.params.additionalProperty)}: not an option of ${step.from} → ${step.to} conversions`;
  }
  const allowed = error.keyword === 'enum' ? ` (${(error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')})` : '';
  return `${path}: ${error.message ?? 'is not valid'}${allowed}`;
}

/**
 * Holds the options of a plan's final step (the caller's, over its preset's params) to the JSON
 * Schema the step's capability publishes in `GET /api/convert/formats`, so a wrong option is a
 * 400 `invalid_parameter` when the conversion is asked for, not a job that fails once a worker
 * reads it. Plugins check their options again when they convert; this is the check a client
 * can rely on up front. `preserve_metadata` is the host's: a boolean on any conversion, and
 * part of the plugin's schema only when the plugin keeps metadata itself.
 */
export function checkConversionOptions(graph: CapabilityGraph, plan: readonly PlanStep[]): void {
  const finalStep = plan.at(-1);
  if (!finalStep) return;
  const { [hostOption]: preserveMetadata, ...pluginOptions } = finalStep.options;
  if (preserveMetadata !== undefined && typeof preserveMetadata !== 'boolean') {
    throw new AppError('invalid_parameter', `options.${hostOption}: must be true or false`);
  }
  const { schema, handlesMetadata } = capabilityOf(graph, finalStep);
  if (!schema) return;
  const validate = validatorOf(schema);
  if (validate(handlesMetadata ? finalStep.options : pluginOptions)) return;
  const error = validate.errors?.[0];
  throw new AppError('invalid_parameter', error ? describe(error, finalStep) : 'options do not match this conversion');
}
