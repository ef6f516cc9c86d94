/**
 * Turns a subject filter (`task.convert.image`, `task.convert.>`, `evt.*.created`) into an
 * anchored POSIX regular expression for PostgreSQL's `~`, with NATS matching rules: `*` is one
 * token, a final `>` is one or more tokens, everything else is literal.
 */
export function subjectFilterPattern(filter: string): string {
  const tokens = filter.split('.');
  const parts = tokens.map((token, index) => {
    if (token === '>' && index === tokens.length - 1) return '.+';
    if (token === '*') return '[^.]+';
    return token.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  });
  return `^${parts.join('\\.')}$`;
}
