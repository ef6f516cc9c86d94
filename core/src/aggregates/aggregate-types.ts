import type { AggregateKind, ConversionCommand, ConversionEvent, FileCommand, FileEvent } from '@conveyor/contracts';
import { conversionDecider, type ConversionState } from '../deciders/conversion-decider.js';
import type { Decider } from '../deciders/decider.js';
import { fileDecider, type FileState } from '../deciders/file-decider.js';

export interface AggregateType<State, Command, Event> {
  kind: AggregateKind;
  decider: Decider<State, Command, Event>;
}

export const fileAggregate: AggregateType<FileState, FileCommand, FileEvent> = { kind: 'file', decider: fileDecider };
export const conversionAggregate: AggregateType<ConversionState, ConversionCommand, ConversionEvent> = {
  kind: 'conversion',
  decider: conversionDecider,
};
