import * as z from 'zod';
import { allEvents, outgoingEventTypes } from '../domain/outgoing/event';

/** An event type an endpoint listens to, or `*` for all of them. */
const eventName = z.enum([...outgoingEventTypes, allEvents]);

/** Checked as a URL here; where it may point (SSRF) is the use case's check (domain/outgoing/ssrf.ts). */
const endpointUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => URL.canParse(u), { message: 'must be a URL' });

/** Body of `POST /admin/shops/{shopId}/endpoints`. */
export const createEndpointSchema = z
  .object({
    url: endpointUrl,
    events: z
      .array(eventName)
      .min(1)
      .max(outgoingEventTypes.length + 1),
    description: z.string().trim().max(500).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type CreateEndpointInput = z.infer<typeof createEndpointSchema>;

/** Body of `PATCH /admin/shops/{shopId}/endpoints/{endpointId}`: any of the fields a create takes. */
export const patchEndpointSchema = createEndpointSchema.partial().strict();
export type PatchEndpointInput = z.infer<typeof patchEndpointSchema>;

/** Query of `GET …/endpoints/{endpointId}/deliveries`. */
export const deliveriesQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2000).optional(),
  })
  .strict();
