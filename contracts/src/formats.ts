import { z } from 'zod';

export const formatCategories = ['image', 'audio', 'video', 'document', 'spreadsheet', 'presentation', 'pdf', 'data', 'archive', 'other'] as const;

export const formatSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.+-]*$/),
  name: z.string(),
  mime: z.string(),
  extensions: z.array(z.string()).min(1),
  category: z.enum(formatCategories),
});

export type Format = z.infer<typeof formatSchema>;
