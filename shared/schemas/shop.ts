import * as z from 'zod';
import { currencyCode, email, httpUrl, locale, timeZone } from './primitives';
import { programSchema } from './program';
import { storefrontSettingsSchema } from './storefront';

export const shopIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, {
  message: 'must be 2–63 lower-case letters, digits or dashes, starting with a letter or digit',
});

export const platformSchema = z.enum(['shopify', 'woocommerce', 'custom']);
export type Platform = z.infer<typeof platformSchema>;

const webhookSecret = z.string().min(12, { message: 'must be at least 12 characters' }).max(512);

/** What a shop owner may set, on creation and later. */
const shopSettings = z.object({
  name: z.string().trim().min(1).max(200),
  storefrontUrl: httpUrl,
  currency: currencyCode,
  timezone: timeZone,
  locale,
  webhookSecret,
  senderEmail: email,
  marketerEmails: z.array(email).max(50),
  /** Shopify shops: the numeric shop id (learned from the first verified delivery when not set). */
  shopifyShopId: z.union([
    z
      .string()
      .trim()
      .regex(/^\d{1,20}$/, { message: "must be Shopify's numeric shop id" }),
    z.int().positive().transform(String),
  ]),
  /** Shopify shops: the permanent `<name>.myshopify.com` domain (learned likewise). */
  shopifyDomain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, { message: "must be the shop's <name>.myshopify.com domain" }),
  /** The widget's links, colour and logo, and the origins allowed to call the storefront API. */
  storefront: storefrontSettingsSchema,
});

/** Body of `POST /admin/shops`. */
export const createShopSchema = shopSettings
  .extend({
    id: shopIdSchema,
    platform: platformSchema,
    marketerEmails: shopSettings.shape.marketerEmails.default([]),
    shopifyShopId: shopSettings.shape.shopifyShopId.optional(),
    shopifyDomain: shopSettings.shape.shopifyDomain.optional(),
    storefront: shopSettings.shape.storefront.optional(),
    program: programSchema.prefault({}),
  })
  .strict();
export type CreateShopInput = z.infer<typeof createShopSchema>;

/**
 * Body of `PATCH /admin/shops/{shopId}`. `id` and `platform` are fixed once created; `program`
 * is merged into the current program and validated whole.
 */
export const patchShopSchema = shopSettings
  .extend({
    program: z.record(z.string(), z.unknown()),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'at least one field is required' });
export type PatchShopInput = z.infer<typeof patchShopSchema>;

/** `GET /admin/shops?limit=&cursor=` (operator only). */
export const listShopsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2000).optional(),
  })
  .strict();
export type ListShopsQuery = z.infer<typeof listShopsQuerySchema>;
