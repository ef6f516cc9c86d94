import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';

/** Where a page ends: the sort key and id of its last row, sent to clients as an opaque cursor. */
export interface PagePosition {
  at: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Present when more rows follow; pass it back as `cursor` for the next page. */
  next_cursor: string | null;
}

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/** The position a cursor names, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): PagePosition | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && typeof decoded[0] === 'string' && typeof decoded[1] === 'string' && !Number.isNaN(Date.parse(decoded[0]))) {
      return { at: decoded[0], id: decoded[1] };
    }
  } catch {
    // Not base64url JSON: not a cursor.
  }
  return undefined;
}

/**
 * Newest first, ties by id: rows strictly after `position` in that order. Rows inserted while
 * a client pages are newer than any page it has seen, so they never shift its later pages.
 */
export function after<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, column: string, position: PagePosition): Expression<SqlBool> {
  const at = new Date(position.at);
  const ref = eb.ref(column as never);
  return eb.or([eb(ref, '<', at as never), eb.and([eb(ref, '=', at as never), eb(eb.ref('id' as never), '<', position.id as never)])]);
}

/** Splits one extra row fetched past `limit` into the page and its cursor. */
export function toPage<Row, T>(rows: Row[], limit: number, positionOf: (row: Row) => PagePosition, view: (row: Row) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), next_cursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
