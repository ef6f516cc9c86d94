import { AppError } from '@conveyor/contracts';
import { errorSchema } from './format-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

interface AuditQuery {
  limit: number;
  cursor?: string;
  type?: string;
  since?: string;
  until?: string;
}

const auditQuerySchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50, description: 'Events per page' },
    cursor: { type: 'string', minLength: 1, maxLength: 64, description: 'The next_cursor of the previous page' },
    type: { type: 'string', minLength: 1, maxLength: 2000, description: 'Only these event types, comma-separated: FileUploaded,FileDeleted' },
    since: { type: 'string', format: 'date-time', description: 'Only events at or after this time (ISO 8601)' },
    until: { type: 'string', format: 'date-time', description: 'Only events at or before this time (ISO 8601)' },
  },
} as const;

const auditEntrySchema = {
  type: 'object',
  required: ['id', 'sequence', 'type', 'aggregate', 'aggregate_id', 'occurred_at', 'data'],
  properties: {
    id: { type: 'string' },
    sequence: { type: 'integer', description: "The event's position in the log: higher is later" },
    type: { type: 'string', description: 'FileUploaded, ConversionRequested, …' },
    aggregate: { type: 'string', description: 'file, conversion or resource' },
    aggregate_id: { type: 'string' },
    occurred_at: { type: 'string', format: 'date-time' },
    data: { type: 'object', additionalProperties: true, description: "The event's payload, as its type defines it" },
  },
} as const;

const auditPageSchema = {
  type: 'object',
  required: ['items', 'next_cursor'],
  properties: {
    items: { type: 'array', items: auditEntrySchema },
    next_cursor: { type: ['string', 'null'], description: 'Pass as cursor for the next (older) page; null on the last one' },
  },
} as const;

const sequencePattern = /^[1-9][0-9]{0,15}$/;

/**
 * Cursors are opaque to clients, so that what they encode may change: today the sequence of
 * the last event shown, in base64url.
 */
function encodeCursor(sequence: string): string {
  return Buffer.from(sequence, 'utf8').toString('base64url');
}

/** The sequence a cursor stands for; 400 when the API did not issue it. */
function decodeCursor(cursor: string): number {
  const sequence = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sequencePattern.test(sequence) || encodeCursor(sequence) !== cursor) {
    throw new AppError('invalid_parameter', 'cursor: not a cursor this API issued; pass the next_cursor of a previous page');
  }
  return Number(sequence);
}

function parseTypes(raw: string | undefined): string[] | undefined {
  const types = raw?.split(',').map((type) => type.trim()).filter(Boolean);
  return types && types.length > 0 ? types : undefined;
}

/**
 * `GET /api/audit`: every event of the caller's org, newest first, a page at a time;
 * filtered by event type and by time. Another org's events are never shown.
 */
export const auditRoutes: RoutePlugin = async (app, { deps }) => {
  app.get<{ Querystring: AuditQuery }>(
    '/api/audit',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['audit'],
        summary: "The org's events, newest first",
        querystring: auditQuerySchema,
        response: { 200: auditPageSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => {
      const { limit, cursor, type, since, until } = request.query;
      if (since !== undefined && until !== undefined && Date.parse(since) > Date.parse(until)) {
        throw new AppError('invalid_parameter', `since (${since}) is after until (${until})`);
      }
      const before = cursor === undefined ? undefined : decodeCursor(cursor);
      const page = await deps.readModels.audit(request.identity.orgId, { limit, before, types: parseTypes(type), since, until });
      return { items: page.items, next_cursor: page.next_cursor === null ? null : encodeCursor(page.next_cursor) };
    },
  );
};
