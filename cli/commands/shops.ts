import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { enc } from '../client';
import { action, type RunState } from '../context';
import { usageError } from '../exit-codes';
import { emit, keyValues, table, type Io } from '../output';

type Shop = Record<string, unknown> & { id: string };

const shopSummary = (s: Shop) => ({
  id: s.id,
  name: s.name,
  platform: s.platform,
  status: s.status,
  currency: s.currency,
  timezone: s.timezone,
  storefrontUrl: s.storefrontUrl,
  apiKeyHint: s.apiKeyHint,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

/** A JSON or YAML file as a value (YAML is a superset of JSON). */
export const readDataFile = async (cwd: string, file: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw usageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return parseYaml(text) as unknown;
  } catch (e) {
    throw usageError(`${file} is neither JSON nor YAML: ${(e as Error).message}`);
  }
};

const createFlags: [flag: string, field: string, description: string][] = [
  ['--id <shopId>', 'id', 'shop id (2–63 lower-case letters, digits, dashes)'],
  ['--name <name>', 'name', 'display name'],
  ['--platform <platform>', 'platform', 'shopify | woocommerce | custom'],
  ['--storefront-url <url>', 'storefrontUrl', "the shop's storefront URL"],
  ['--currency <code>', 'currency', 'ISO 4217 code, e.g. DKK'],
  ['--timezone <tz>', 'timezone', 'IANA time zone, e.g. Europe/Copenhagen'],
  ['--locale <locale>', 'locale', 'e.g. da-DK'],
  ['--sender-email <email>', 'senderEmail', 'From address of the e-mails'],
  [
    '--webhook-secret <secret>',
    'webhookSecret',
    'the secret the platform signs webhooks with (made for you if left out)',
  ],
];

const camel = (flag: string) =>
  flag
    .replace(/^--/, '')
    .replace(/ .*$/, '')
    .replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export const registerShops = (program: Command, io: Io, state: RunState) => {
  const shops = program.command('shops').description('create, read, list shops and rotate their secrets');

  const create = shops
    .command('create')
    .description('create a shop (operator key): flags, or a JSON/YAML body with --file (flags win)')
    .option('--file <file>', 'a POST /admin/shops body as JSON or YAML');
  for (const [flag, , description] of createFlags) create.option(flag, description);
  create.action(
    action(io, state, async (ctx, opts: Record<string, string | undefined>) => {
      const fromFile = opts.file ? await readDataFile(io.cwd, opts.file) : {};
      if (!fromFile || typeof fromFile !== 'object' || Array.isArray(fromFile))
        throw usageError('--file must hold an object');
      const body = { ...fromFile } as Record<string, unknown>;
      for (const [flag, field] of createFlags) {
        const v = opts[camel(flag)];
        if (v !== undefined) body[field] = v;
      }
      const missing = createFlags
        .map(([f, field]) => [f, field])
        .filter(([, field]) => field !== 'webhookSecret' && body[field!] === undefined);
      if (missing.length) throw usageError(`missing ${missing.map(([f]) => f!.split(' ')[0]).join(', ')}`);
      const generatedSecret = body.webhookSecret === undefined;
      if (generatedSecret) body.webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
      const r = await ctx.client.request<{ shop: Shop; apiKey: string; storefrontSecret: string }>(
        'POST',
        '/admin/shops',
        { body },
      );
      const out = { ...r, ...(generatedSecret ? { webhookSecret: body.webhookSecret } : {}) };
      emit(
        io,
        ctx.json,
        out,
        () =>
          keyValues({
            ...shopSummary(r.shop),
            apiKey: r.apiKey,
            storefrontSecret: r.storefrontSecret,
            ...(generatedSecret ? { webhookSecret: body.webhookSecret } : {}),
          }) + 'The secrets above are shown once: store them now.\n',
      );
    }),
  );

  shops
    .command('get [shopId]')
    .description('a shop without its secrets (default: --shop)')
    .action(
      action(io, state, async (ctx, shopId?: string) => {
        const r = await ctx.client.request<{ shop: Shop }>('GET', `/admin/shops/${enc(ctx.shopId(shopId))}`);
        emit(io, ctx.json, r, () => keyValues(shopSummary(r.shop)));
      }),
    );

  shops
    .command('list')
    .description('every shop (operator key), a page at a time or --all')
    .option('--limit <n>', 'shops per page (1–100)', '25')
    .option('--cursor <cursor>', 'the nextCursor of the previous page')
    .option('--all', 'follow nextCursor to the end')
    .action(
      action(io, state, async (ctx, opts: { limit: string; cursor?: string; all?: boolean }) => {
        const items: Shop[] = [];
        let cursor = opts.cursor;
        let nextCursor: string | null = null;
        do {
          const page = await ctx.client.request<{ items: Shop[]; nextCursor: string | null }>('GET', '/admin/shops', {
            query: { limit: opts.limit, cursor },
          });
          items.push(...page.items);
          nextCursor = page.nextCursor;
          cursor = nextCursor ?? undefined;
        } while (opts.all && nextCursor);
        emit(
          io,
          ctx.json,
          { items, nextCursor },
          () =>
            table(items.map(shopSummary), ['id', 'name', 'platform', 'status', 'currency', 'createdAt']) +
            (nextCursor ? `more: --cursor ${nextCursor}\n` : ''),
        );
      }),
    );

  shops
    .command('rotate-key [shopId]')
    .description('a new API key, shown once; the old key stops working at once')
    .action(
      action(io, state, async (ctx, shopId?: string) => {
        const id = ctx.shopId(shopId);
        const r = await ctx.client.request<{ apiKey: string; apiKeyHint: string }>(
          'POST',
          `/admin/shops/${enc(id)}/api-key`,
        );
        emit(
          io,
          ctx.json,
          { shopId: id, ...r },
          () => keyValues({ shopId: id, ...r }) + 'The key is shown once; the previous key no longer works.\n',
        );
      }),
    );

  shops
    .command('rotate-webhook-secret [shopId]')
    .description('a new webhook secret, shown once; the previous one verifies during its grace period')
    .action(
      action(io, state, async (ctx, shopId?: string) => {
        const id = ctx.shopId(shopId);
        const r = await ctx.client.request<{ webhookSecret: string; previousValidUntil: string | null }>(
          'POST',
          `/admin/shops/${enc(id)}/webhook-secret`,
        );
        emit(
          io,
          ctx.json,
          { shopId: id, ...r },
          () =>
            keyValues({ shopId: id, ...r }) + "Put the secret in the platform's webhook settings; it is shown once.\n",
        );
      }),
    );
};
