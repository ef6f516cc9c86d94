import type { AggregateKind, ConversionCommand, ConversionEvent, FileCommand, FileEvent, ResourceCommand, ResourceEvent } from '@conveyor/contracts';
import { conversionDecider, type ConversionState } from '../deciders/conversion-decider.js';
import type { Decider } from '../deciders/decider.js';
import { fileDecider, type FileState } from '../deciders/file-decider.js';
import { resourceDecider, type ResourceState } from '../deciders/resource-decider.js';

export interface AggregateType<State, Command, Event> {
  kind: AggregateKind;
  decider: Decider<State, Command, Event>;
}

export const fileAggregate: AggregateType<FileState, FileCommand, FileEvent> = { kind: 'file', decider: fileDecider };
export const conversionAggregate: AggregateType<ConversionState, ConversionCommand, ConversionEvent> = {
  kind: 'conversion',
  decider: conversionDecider,
};
export const resourceAggregate: AggregateType<ResourceState, ResourceCommand, ResourceEvent> = { kind: 'resource', decider: resourceDecider };

type AnyAggregateType = AggregateType<unknown, never, { type: string; data: unknown }>;

const aggregateTypesByKind: Partial<Record<AggregateKind, AnyAggregateType>> = {
  file: fileAggregate as AnyAggregateType,
  conversion: conversionAggregate as AnyAggregateType,
  resource: resourceAggregate as AnyAggregateType,
};

/** The aggregate type whose events live under `kind`; undefined for a kind no decider owns (system). */
export function aggregateTypeOf(kind: AggregateKind): AnyAggregateType | undefined {
  return aggregateTypesByKind[kind];
}
