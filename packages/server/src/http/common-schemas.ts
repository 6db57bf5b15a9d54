import { ROLES } from '@callsight/protocol';
import { z } from 'zod';

export const roleSchema = z.enum(ROLES);
export const idParam = (prefix: string) =>
  z.object({ id: z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), `must be a ${prefix}_… id`) }).strict();
export const limitSchema = z.coerce.number().int().min(1).max(500).default(50);
/** Comma-separated list in a query string: `types=call.,chat.` */
export const csvSchema = z
  .string()
  .max(1000)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
export const eventTypePrefix = z.string().regex(/^[a-z0-9_.*-]{0,100}$/, 'must be an event type or prefix');
