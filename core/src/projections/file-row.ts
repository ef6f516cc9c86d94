import type { EventEnvelope, FileEvent } from '@conveyor/contracts';

/** A files row as the projection computes it. */
export interface FileRow {
  id: string;
  org_id: string;
  name: string;
  format: string;
  mime: string;
  size: number;
  sha256: string;
  blob_key: string;
  status: string;
  visibility: string;
  source_job_id: string | null;
  created_at: string;
}

/** Applies one file event to its row; pure and idempotent. */
export function evolveFileRow(row: FileRow | undefined, envelope: EventEnvelope): FileRow | undefined {
  const event = { type: envelope.type, data: envelope.data } as FileEvent;
  switch (event.type) {
    case 'FileUploaded':
      return (
        row ?? {
          id: envelope.aggregate_id,
          org_id: envelope.org_id,
          name: event.data.name,
          format: event.data.format,
          mime: event.data.mime,
          size: event.data.size,
          sha256: event.data.sha256,
          blob_key: event.data.blob_key,
          status: 'ready',
          visibility: event.data.visibility,
          source_job_id: event.data.source.kind === 'conversion' ? event.data.source.job_id : null,
          created_at: event.data.uploaded_at,
        }
      );
    default:
      return row;
  }
}
