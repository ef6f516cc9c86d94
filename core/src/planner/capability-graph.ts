import type { Format, PluginCapability, PluginDefinition } from '@conveyor/contracts';

export interface CapabilityEdge {
  from: string;
  to: string;
  plugin: string;
  cost: number;
  lossy: boolean;
  capability: PluginCapability;
}

/** Every direct conversion the runnable plugins offer, indexed by source format. */
export class CapabilityGraph {
  private readonly edgesBySource = new Map<string, CapabilityEdge[]>();
  readonly formats = new Map<string, Format>();

  constructor(
    /** The plugins the graph was built from, in order: the ones that may also make templates. */
    readonly plugins: readonly PluginDefinition[],
    formats: readonly Format[] = [],
  ) {
    for (const format of formats) this.formats.set(format.id, format);
    for (const plugin of plugins) {
      for (const format of plugin.formats ?? []) this.formats.set(format.id, format);
      for (const capability of plugin.capabilities) {
        const edge: CapabilityEdge = {
          from: capability.from,
          to: capability.to,
          plugin: plugin.id,
          cost: capability.cost ?? 1,
          lossy: capability.lossy ?? false,
          capability,
        };
        const list = this.edgesBySource.get(edge.from) ?? [];
        list.push(edge);
        this.edgesBySource.set(edge.from, list);
      }
    }
  }

  edgesFrom(format: string): readonly CapabilityEdge[] {
    return this.edgesBySource.get(format) ?? [];
  }

  edges(): CapabilityEdge[] {
    return [...this.edgesBySource.values()].flat();
  }

  sources(): string[] {
    return [...this.edgesBySource.keys()];
  }
}
