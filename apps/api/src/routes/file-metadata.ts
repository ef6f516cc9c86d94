import { AppError, metadataEditSchema, RequestMetadataProbe, WriteMetadata, type CommandEnvelope, type MetadataEdit, type MetadataReport } from '@conveyor/contracts';
import { deriveId, type StoredFile } from '@conveyor/core';
import type { ApiDependencies } from '../dependencies.js';
import { findCallersFile, refuseQuarantined } from './files.js';
import { orgScopedParamsSchema, type OrgScopedParams, type RoutePlugin } from './route-plugin.js';

/** How long a read waits for the probe it asked for (after the scan, when an upload's is still running). */
const probeWaitMs = 3000;

const noMetadata: MetadataReport = { containers: [], common: {}, sections: {}, editable: {} };

/** A command to `file`, its data parsed against the command's contract schema. */
function fileCommand<Data>(
  kind: { type: string; version: number; schema: { parse(data: unknown): Data } },
  file: StoredFile,
  data: unknown,
  ids: { id: string; correlationId: string | null },
  deps: ApiDependencies,
): CommandEnvelope<Data> {
  return {
    id: ids.id,
    type: kind.type,
    version: kind.version,
    aggregate: 'file',
    aggregate_id: file.view.id,
    org_id: file.view.org_id,
    issued_at: deps.clock.now().toISOString(),
    correlation_id: ids.correlationId,
    data: kind.schema.parse(data),
  };
}

/** Asks for the probe of `file`'s current version; one command id per version, so that repeated reads ask once. */
function probeRequest(deps: ApiDependencies, file: StoredFile) {
  return fileCommand(RequestMetadataProbe, file, {}, { id: deriveId(file.view.id, `metadata-probe:v${file.version}`), correlationId: null }, deps);
}

/**
 * The probed report of the file's current version. Metadata is read on demand: the first read of
 * a version asks for its probe and waits a little for it; 409 `not_ready` if no probe comes.
 * A version probed earlier is answered when its successor's probe does not come in time.
 */
async function probedReport(deps: ApiDependencies, file: StoredFile): Promise<{ report: MetadataReport; version: number }> {
  let probed: StoredFile | undefined = file;
  if ((file.metadata?.version ?? 0) < file.version) {
    await deps.commands.send(probeRequest(deps, file));
    probed = await deps.readModels.waitForFileMetadata(file.view.org_id, file.view.id, file.version, probeWaitMs);
  }
  if (!probed?.metadata) throw new AppError('not_ready', `the metadata of file ${file.view.id} is still being read; try again shortly`);
  return { report: probed.metadata.report ?? noMetadata, version: probed.metadata.version };
}

function parseEdit(body: unknown): MetadataEdit {
  const parsed = metadataEditSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid_parameter', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid value'}`);
  }
  const edit = parsed.data;
  const asks = edit.anonymize || edit.strip_all || Object.keys(edit.set).length > 0 || Object.keys(edit.remove).length > 0;
  if (!asks) throw new AppError('invalid_parameter', 'nothing to do: give anonymize, strip_all, set or remove');
  return edit;
}

/** Every key the edit sets or removes must be one the probe marked editable, in its section. */
function checkEditable(edit: MetadataEdit, report: MetadataReport): void {
  const touched = [...Object.entries(edit.set).flatMap(([section, values]) => Object.keys(values).map((key) => [section, key] as const)),
    ...Object.entries(edit.remove).flatMap(([section, keys]) => keys.map((key) => [section, key] as const))];
  for (const [section, key] of touched) {
    if (!report.editable[section]?.includes(key)) {
      const offered = Object.entries(report.editable).map(([name, keys]) => `${name}: ${keys.join(', ')}`).join('; ');
      throw new AppError('invalid_parameter', `${section}.${key} is not editable in this file` + (offered ? ` (editable: ${offered})` : ' (nothing is)'));
    }
  }
}

/**
 * `GET /api/files/{org_id}/{id}/metadata`: what the file carries (probed on the first read of each version, once
 * an upload is scanned clean). `POST` rewrites it — anonymize, strip, set, remove — in place (the
 * file's next version) or `as_copy` (a new file); it answers 202, and the outcome shows here
 * as `write`.
 */
export const fileMetadataRoutes: RoutePlugin = async (app, { deps }) => {
  const schema = { params: orgScopedParamsSchema };

  app.get<{ Params: OrgScopedParams }>('/api/files/:org_id/:id/metadata', { schema: { ...schema, tags: ['Metadata'], summary: 'Probe every embedded metadata container: containers, common, sections, editable.' }, config: { scope: 'files:read' } }, async (request) => {
    const file = await findCallersFile(deps, request);
    refuseQuarantined(file);
    const { report, version } = await probedReport(deps, file);
    return { ...report, version, ...(file.metadataWrite ? { write: file.metadataWrite } : {}) };
  });

  app.post<{ Params: OrgScopedParams }>('/api/files/:org_id/:id/metadata', { schema: { ...schema, tags: ['Metadata'], summary: 'Rewrite metadata: anonymize, strip_all, set, remove, as_copy.' }, config: { scope: 'files:write' } }, async (request, reply) => {
    const file = await findCallersFile(deps, request);
    refuseQuarantined(file);
    const edit = parseEdit(request.body);
    if (!deps.metadata?.writableFormats.includes(file.view.format)) {
      throw new AppError('unsupported_conversion', `the metadata of ${file.view.format} files cannot be rewritten here`);
    }
    checkEditable(edit, (await probedReport(deps, file)).report);
    const { as_copy: asCopy, ...rewrite } = edit;
    const requestId = deps.ids.next();
    const copyFileId = asCopy ? deps.ids.next() : undefined;
    const data = { request_id: requestId, edit: rewrite, ...(copyFileId === undefined ? {} : { copy_file_id: copyFileId }) };
    await deps.commands.send(fileCommand(WriteMetadata, file, data, { id: deps.ids.next(), correlationId: requestId }, deps));
    return reply.code(202).send({ request_id: requestId, file_id: copyFileId ?? file.view.id, as_copy: asCopy, status: 'queued' });
  });
};

/** `GET /api/help/metadata`: the metadata guide as data — what each container holds, what anonymize removes. */
export const metadataHelpRoutes: RoutePlugin = async (app, { deps }) => {
  app.get('/api/help/metadata', { schema: { tags: ['Reference'], summary: 'The metadata-guide content as data.', security: [] } }, async () => {
    if (!deps.metadata) throw new AppError('not_found', 'no metadata tool runs on this server');
    return deps.metadata.guide;
  });
};
