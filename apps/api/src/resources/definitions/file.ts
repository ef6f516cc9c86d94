import { fileSchema, fileVisibility } from '@conveyor/contracts';
import { z } from 'zod/v4';
import { defineResource } from '../resource-definition.js';
import { fileStore } from '../stores/file-store.js';
import { recordIdentityFields } from './common-fields.js';

const visibility = z.enum(fileVisibility.options);

/** An uploaded file or a conversion's output; its record is the FileView `GET /api/files/…` has always answered. */
export const fileResource = defineResource({
  name: 'file',
  path: '/api/files',
  label: 'File',
  description: 'An uploaded file or a conversion’s output. Its bytes are at …/download.',
  record: fileSchema,
  create: {
    kind: 'multipart',
    schema: z.object({ file: z.file(), visibility: visibility.optional() }),
  },
  update: z.object({ name: z.string().min(1).max(200), visibility }).partial().strict(),
  fields: {
    ...recordIdentityFields,
    name: { label: 'Name', description: 'The file name, shown and used for downloads.', visibleTo: 'viewer', editableBy: 'member' },
    format: { label: 'Format', description: 'The format its content was recognised as.', visibleTo: 'viewer', editableBy: null },
    mime: { label: 'MIME type', description: 'The media type it is served with.', visibleTo: 'viewer', editableBy: null },
    size: { label: 'Size', description: 'In bytes.', visibleTo: 'viewer', editableBy: null },
    sha256: { label: 'SHA-256', description: 'Of its content, in hex.', visibleTo: 'viewer', editableBy: null },
    status: { label: 'Status', description: 'ready, quarantined by the scanner, or deleted.', visibleTo: 'viewer', editableBy: null },
    created_at: { label: 'Uploaded', description: 'When the file was stored.', visibleTo: 'viewer', editableBy: null },
    visibility: { label: 'Visibility', description: 'Who may fetch it: private, org, public or restricted.', visibleTo: 'viewer', editableBy: 'member', writeOnly: true },
    file: { label: 'File', description: 'The content to upload (multipart/form-data).', visibleTo: 'viewer', editableBy: 'member', writeOnly: true },
  },
  listColumns: ['name', 'format', 'size', 'status', 'created_at'],
  access: {
    list: { scope: 'files:read', role: 'viewer' },
    fetch: { scope: 'files:read', role: 'viewer' },
    create: { scope: 'files:write', role: 'member' },
    update: { scope: 'files:write', role: 'member' },
    delete: { scope: 'files:write', role: 'member' },
  },
  actions: [],
  store: fileStore,
});
