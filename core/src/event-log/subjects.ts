import type { AggregateKind } from '@conveyor/contracts';

/**
 * Subjects are built here and nowhere else. An aggregate's events share one subject so that
 * optimistic concurrency (expected last subject sequence) covers the whole aggregate on
 * NATS 2.9, which cannot check a wildcard; the event type travels in the envelope.
 */
export const subjects = {
  command: (aggregate: AggregateKind, id: string) => `cmd.${aggregate}.${id}`,
  event: (aggregate: AggregateKind, id: string) => `evt.${aggregate}.${id}`,
  convertTask: (plugin: string) => `task.convert.${plugin}`,
  scanTask: 'task.scan',
  metadataTask: 'task.metadata',
  allCommands: 'cmd.>',
  allEvents: 'evt.>',
  allConvertTasks: 'task.convert.>',
} as const;

/** True when `subject` matches `filter` (exact, or a `>`-terminated prefix; `*` matches one token). */
export function subjectMatches(filter: string, subject: string): boolean {
  const filterTokens = filter.split('.');
  const subjectTokens = subject.split('.');
  for (let i = 0; i < filterTokens.length; i++) {
    const token = filterTokens[i];
    if (token === '>') return subjectTokens.length > i;
    if (i >= subjectTokens.length) return false;
    if (token !== '*' && token !== subjectTokens[i]) return false;
  }
  return filterTokens.length === subjectTokens.length;
}
