import type { InjectionToken } from 'tsyringe';
import type { PluginDefinition } from '@conveyor/contracts';
import type { InspectionTools } from './inspection-tools.js';
import type {
  BlobStore,
  CapabilityGraph,
  Clock,
  CommandHandler,
  ConveyorConfig,
  DatabaseHandle,
  EventLog,
  IdGenerator,
  Logger,
  ProjectionNotifier,
  ReadModelQueries,
  Telemetry,
} from '@conveyor/core';

/** Everything the container can build, by name; the only place these tokens are declared. */
export const tokens = {
  config: Symbol('config') as InjectionToken<ConveyorConfig>,
  logger: Symbol('logger') as InjectionToken<Logger>,
  database: Symbol('database') as InjectionToken<DatabaseHandle>,
  eventLog: Symbol('eventLog') as InjectionToken<EventLog>,
  blobs: Symbol('blobs') as InjectionToken<BlobStore>,
  clock: Symbol('clock') as InjectionToken<Clock>,
  ids: Symbol('ids') as InjectionToken<IdGenerator>,
  plugins: Symbol('plugins') as InjectionToken<PluginDefinition[]>,
  inspectionTools: Symbol('inspectionTools') as InjectionToken<InspectionTools>,
  capabilities: Symbol('capabilities') as InjectionToken<CapabilityGraph>,
  commandHandler: Symbol('commandHandler') as InjectionToken<CommandHandler>,
  readModels: Symbol('readModels') as InjectionToken<ReadModelQueries>,
  projectionNotifier: Symbol('projectionNotifier') as InjectionToken<ProjectionNotifier>,
  telemetry: Symbol('telemetry') as InjectionToken<Telemetry>,
} as const;
