import * as z from 'zod';

/**
 * Building blocks of the platform payload schemas. Payload schemas name only the fields
 * Boomerang reads and pass everything else through (`z.looseObject`): platforms add fields
 * all the time and that must never break a webhook.
 */

/** An id: the exact string, or a JSON number (precision is checked by the parser, see readId). */
export const rawId = z.union([z.string().min(1), z.number()]);

/** A decimal amount: a string like "19.99", or a JSON number (a few platform fields are numbers). */
export const rawMoney = z.union([z.string(), z.number()]);

/** Optional text that platforms send as null, "" or absent. */
export const nullableText = z.string().nullish();

/** `[]` when the platform sends null or leaves the array out. */
export const looseArray = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);
