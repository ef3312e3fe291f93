/**
 * The DynamoDB key layout: every item's pk/sk (and GSI keys) is built here and only here.
 *
 * | item            | pk                 | sk        | gsi1pk | gsi1sk |
 * |-----------------|--------------------|-----------|--------|--------|
 * | shop            | SHOP#<shopId>      | SHOP      |        |        |
 */
export const keys = {
  shop: (shopId: string) => ({ pk: `SHOP#${shopId}`, sk: 'SHOP' }),
} as const;
