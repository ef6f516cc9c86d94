/** Plugins that ship with Conveyor; each still has to pass its probe to enter the graph. */
export const firstPartyPlugins = [
  '@conveyor/plugin-image',
  '@conveyor/plugin-media',
  '@conveyor/plugin-document',
  '@conveyor/plugin-pdf',
  '@conveyor/plugin-data',
] as const;
