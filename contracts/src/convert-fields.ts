// Still zod v3: `POST /api/convert` answers this schema's issue messages to clients as they are,
// and v4 words them differently ("Invalid option: expected one of …" for "Invalid enum value. …").
import { z } from 'zod';

/** The text fields of a `POST /api/convert` form. */
export const convertFieldsSchema = z.object({
  target_format: z.string().min(1).regex(/^[a-z0-9][a-z0-9.+-]*$/),
  visibility: z.enum(['private', 'org', 'public', 'restricted']).default('private'),
  options: z.record(z.string(), z.unknown()).default({}),
  preset: z.string().min(1).max(64).optional(),
});
