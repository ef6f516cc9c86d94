import { fileResource } from '../resources/definitions/file.js';
import { jsonSchemaOf } from '../resources/json-schema.js';
import { abortUpload } from '../upload/abort-upload.js';
import { initiateUpload, type UploadAnnouncement } from '../upload/initiate-upload.js';
import { receiveUploadData } from '../upload/upload-data.js';
import { UploadsInFlight } from '../upload/uploads-in-flight.js';
import { errorSchema } from './format-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const tags = ['Upload pipeline'];
const identifier = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' } as const;
const fileIdParamsSchema = { type: 'object', required: ['file_id'], properties: { file_id: identifier } } as const;
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, errorSchema]));

interface FileIdParams {
  file_id: string;
}

const initBodySchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 1024, description: 'The file name; directories and control characters are removed.' },
    size: { type: 'integer', minimum: 0, description: 'The size about to be sent, in bytes: refused at once (413) when over the plan’s upload limit.' },
    content_type: { type: 'string', minLength: 1, maxLength: 255, description: 'The media type the client believes the file has; the content decides the format.' },
  },
} as const;

const initReplySchema = {
  type: 'object',
  required: ['file_id', 'method', 'upload_url'],
  properties: {
    file_id: { type: 'string' },
    method: { type: 'string', enum: ['PUT'] },
    upload_url: { type: 'string', description: 'Relative to the API’s origin; ends in /data.' },
  },
} as const;

/** `POST /api/uploads/init` and `…/abort`: JSON in, JSON out, under the API's usual body parsers. */
const uploadControlRoutes = (inFlight: UploadsInFlight): RoutePlugin => async (app, { deps }) => {
  app.post<{ Body: UploadAnnouncement }>(
    '/api/uploads/init',
    {
      config: { scope: 'files:write' },
      schema: {
        tags,
        summary: 'Start an upload; returns { method, upload_url } where upload_url ends in /data.',
        body: initBodySchema,
        response: { 201: initReplySchema, ...errors(400, 401, 403, 413) },
      },
    },
    async (request, reply) => reply.code(201).send(await initiateUpload(deps, { identity: request.identity, request }, request.body)),
  );

  app.post<{ Params: FileIdParams }>(
    '/api/uploads/:file_id/abort',
    {
      config: { scope: 'files:write' },
      schema: { tags, summary: 'Abort an in-progress upload.', params: fileIdParamsSchema, response: { 204: { type: 'null' }, ...errors(401, 403, 404, 409) } },
    },
    async (request, reply) => {
      await abortUpload(deps, { identity: request.identity, request }, request.params.file_id, inFlight);
      return reply.code(204).send();
    },
  );
};

/** `PUT /api/uploads/{file_id}/data`: the body is the file itself, whatever its type, streamed as it arrives. */
const uploadDataRoutes = (inFlight: UploadsInFlight): RoutePlugin => async (app, { deps }) => {
  // A file sent as application/json is still just bytes: no parser may read or buffer it. The
  // handler streams the raw request itself; this parser only lets every body through untouched.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.put<{ Params: FileIdParams }>(
    '/api/uploads/:file_id/data',
    {
      config: { scope: 'files:write' },
      schema: {
        tags,
        summary: 'Stream the raw bytes browser → API → S3.',
        consumes: ['application/octet-stream'],
        params: fileIdParamsSchema,
        response: { 200: jsonSchemaOf(fileResource.record, 'output'), ...errors(400, 401, 403, 404, 409, 413) },
      },
    },
    async (request) => receiveUploadData(deps, { identity: request.identity, request }, request.params.file_id, inFlight),
  );
};

/**
 * The upload pipeline: announce an upload, stream its bytes in one PUT, or abort it. Control
 * and data routes sit in separate plugins, since the data route must parse no body at all.
 */
export const uploadRoutes: RoutePlugin = async (app, options) => {
  // Shared by both plugins, so that an abort stops the bytes a PUT is receiving.
  const inFlight = new UploadsInFlight();
  await app.register(uploadControlRoutes(inFlight), options);
  await app.register(uploadDataRoutes(inFlight), options);
};
