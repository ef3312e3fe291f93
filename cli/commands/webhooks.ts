import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { signBase64Hmac, signCustom } from '../../shared/domain/webhooks/signatures';
import { enc } from '../client';
import { action, type RunState } from '../context';
import { exitCodeForStatus, usageError } from '../exit-codes';
import { emit, keyValues, type Io } from '../output';

type Platform = 'shopify' | 'woocommerce' | 'custom';

/**
 * The headers a platform sends with `raw` (docs/webhooks.md, docs/custom-webhook.md): the HMAC
 * over the exact bytes, the topic header, and a delivery id.
 */
export const signedHeaders = (
  platform: Platform,
  raw: Buffer,
  secret: string,
  topic: string | undefined,
  now: Date,
): Record<string, string> => {
  const base = { 'content-type': 'application/json' };
  switch (platform) {
    case 'shopify':
      return {
        ...base,
        'x-shopify-topic': topic!,
        'x-shopify-hmac-sha256': signBase64Hmac(raw, secret),
        'x-shopify-webhook-id': `replay-${randomUUID()}`,
      };
    case 'woocommerce': {
      const [resource, event] = topic!.split('.');
      return {
        ...base,
        'x-wc-webhook-topic': topic!,
        ...(resource && event ? { 'x-wc-webhook-resource': resource, 'x-wc-webhook-event': event } : {}),
        'x-wc-webhook-signature': signBase64Hmac(raw, secret),
        'x-wc-webhook-delivery-id': `replay-${randomUUID()}`,
      };
    }
    case 'custom':
      // The custom format names its type in the (signed) body; there is no topic header.
      return { ...base, 'boomerang-signature': signCustom(raw, secret, now) };
  }
};

export const registerWebhooks = (program: Command, io: Io, state: RunState) => {
  const webhooks = program.command('webhooks').description('incoming webhooks');

  webhooks
    .command('replay <file>')
    .description(
      "send a payload file as the platform would: its raw bytes signed with the shop's webhook secret; " +
        'exit 6 when the payload is refused (another 4xx)',
    )
    .addOption(
      new Option('--platform <platform>', 'which format and signature')
        .choices(['shopify', 'woocommerce', 'custom'])
        .makeOptionMandatory(),
    )
    .option(
      '--topic <topic>',
      'Shopify: e.g. orders/paid; WooCommerce: e.g. order.created; custom: not used (the body names its type)',
    )
    .option('--secret <secret>', "the shop's webhook secret (default: env BOOMERANG_WEBHOOK_SECRET)")
    .action(
      action(io, state, async (ctx, file: string, opts: { platform: Platform; topic?: string; secret?: string }) => {
        const shopId = ctx.shopId();
        const secret = opts.secret ?? io.env.BOOMERANG_WEBHOOK_SECRET;
        if (!secret) throw usageError('no webhook secret: --secret or env BOOMERANG_WEBHOOK_SECRET');
        if (opts.platform !== 'custom' && !opts.topic) throw usageError(`--topic is required for ${opts.platform}`);
        let raw: Buffer;
        try {
          raw = await readFile(resolve(io.cwd, file));
        } catch (e) {
          throw usageError(`cannot read ${file}: ${(e as Error).message}`);
        }
        const headers = signedHeaders(opts.platform, raw, secret, opts.topic, new Date());
        const res = await ctx.client.raw('POST', `/webhooks/${opts.platform}/${enc(shopId)}`, {
          body: raw,
          headers,
          auth: false,
        });
        const ok = res.status >= 200 && res.status < 300;
        const out = { status: res.status, body: res.json ?? res.text };
        emit(io, ctx.json, out, () => keyValues({ status: res.status }) + `${res.text}\n`);
        if (!ok) io.stderr(`error: the webhook was answered ${res.status}\n`);
        return ok ? 0 : exitCodeForStatus(res.status);
      }),
    );
};
