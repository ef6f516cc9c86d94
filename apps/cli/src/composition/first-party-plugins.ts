/** Plugins that ship with Conveyor; each still has to pass its probe to enter the graph. */
export const firstPartyPlugins = ['@conveyor/plugin-image'] as const;
