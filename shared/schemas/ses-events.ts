import * as z from 'zod';

/**
 * What SES publishes through a configuration set's SNS destination (one JSON message per
 * event). Only the fields we act on are read; the rest passes.
 */
const tags = z.record(z.string(), z.array(z.string())).default({});

export const sesEventSchema = z
  .object({
    eventType: z.string(),
    mail: z
      .object({
        messageId: z.string(),
        timestamp: z.string().optional(),
        destination: z.array(z.string()).default([]),
        tags,
      })
      .loose(),
    bounce: z
      .object({
        bounceType: z.string(),
        bounceSubType: z.string().optional(),
        bouncedRecipients: z.array(z.object({ emailAddress: z.string() }).loose()).default([]),
        timestamp: z.string().optional(),
      })
      .loose()
      .optional(),
    complaint: z
      .object({
        complainedRecipients: z.array(z.object({ emailAddress: z.string() }).loose()).default([]),
        timestamp: z.string().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
export type SesEvent = z.infer<typeof sesEventSchema>;
