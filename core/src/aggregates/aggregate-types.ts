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
