import * as z from 'zod';
import { activityTypeSchema } from './program';

/**
 * Bodies and queries of the ways-to-earn routes (docs/engagement.md): the admin API's
 * `…/customers/{customerRef}/activities` and the storefront's `…/me/activities`.
 */

/** A birthday as month and day ("MM-DD"); no year is ever asked for or kept. 02-29 is allowed. */
export const birthdaySchema = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'must be "MM-DD"' })
  .refine(
    (d) => {
      const [m, day] = d.split('-').map(Number) as [number, number];
      // Checked against a leap year, so 29 February passes and 31 April does not.
      return new Date(Date.UTC(2024, m - 1, day)).getUTCMonth() === m - 1;
    },
    { message: 'is not a day of the year' },
  );

/** Free-form facts about an activity (a review's product, a post's URL): small and flat. */
export const activityPropertiesSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(500), z.number(), z.boolean()]))
  .refine((p) => Object.keys(p).length <= 20, { message: 'at most 20 properties' });

/** Body of `POST /admin/shops/{shopId}/customers/{customerRef}/activities`. */
export const activityRequestSchema = z
  .object({
    /** The caller's id: the activity is recorded once per id, however often it is sent. */
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, { message: 'must be 1–128 letters, digits, or . _ : -' }),
    type: activityTypeSchema,
    occurredAt: z.iso.datetime({ offset: true }),
    properties: activityPropertiesSchema.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    // A birthday sent with a date sets the customer's birthday; the date must then be one.
    const date = a.properties?.['date'];
    if (a.type === 'birthday' && date !== undefined && !birthdaySchema.safeParse(date).success)
      ctx.addIssue({ code: 'custom', path: ['properties', 'date'], message: 'must be "MM-DD"' });
  });
export type ActivityRequest = z.infer<typeof activityRequestSchema>;

/** Query of `GET …/customers/{customerRef}/activities`: newest first. */
export const activityPageSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2000).optional(),
  })
  .strict();

/**
 * Body of `POST /storefront/{shopId}/me/activities`: a self-declared way to earn
 * (`isSelfDeclaredActivity`). A birthday claim carries the date in `properties.date`.
 */
export const storefrontActivitySchema = z
  .object({
    type: activityTypeSchema,
    properties: z.object({ date: birthdaySchema.optional() }).strict().optional(),
  })
  .strict();
export type StorefrontActivityRequest = z.infer<typeof storefrontActivitySchema>;
