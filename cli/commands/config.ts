import type { Command } from 'commander';
import { effectiveConfig, keyHint, writeConfigFile } from '../config';
import { action, type RunState } from '../context';
import { usageError } from '../exit-codes';
import { emit, keyValues, type Io } from '../output';

export const registerConfig = (program: Command, io: Io, state: RunState) => {
  const config = program
    .command('config')
    .description('show the effective config (flags > env BOOMERANG_URL/BOOMERANG_API_KEY/BOOMERANG_SHOP > config file)')
    .action(
      action(io, state, async (ctx) => {
        const c = ctx.config;
        const view = {
          url: c.url.value ?? null,
          urlSource: c.url.source,
          key: keyHint(c.key.value) ?? null,
          keySource: c.key.source,
          shop: c.shop.value ?? null,
          shopSource: c.shop.source,
          file: c.file,
        };
        emit(io, ctx.json, view, () => keyValues(view));
      }),
    );

  config
    .command('set')
    .description('write --url, --key and/or --shop to the config file (mode 600, its directory 700)')
    .action(
      action(io, state, async (ctx) => {
        const changes = Object.fromEntries(
          (['url', 'key', 'shop'] as const).flatMap((k) => (ctx.opts[k] ? [[k, ctx.opts[k]]] : [])),
        );
        if (!Object.keys(changes).length) throw usageError('config set needs --url, --key and/or --shop');
        if (changes.url && !/^https?:\/\/[^/]/.test(changes.url)) throw usageError('--url must be an http(s) URL');
        await writeConfigFile(ctx.config.file, changes);
        // What is in effect now for the values just written, as `config` shows it.
        const after = await effectiveConfig({}, io.env);
        const view = {
          file: ctx.config.file,
          url: after.url.value ?? null,
          key: keyHint(after.key.value) ?? null,
          shop: after.shop.value ?? null,
        };
        emit(io, ctx.json, view, () => `wrote ${ctx.config.file}\n${keyValues(view)}`);
      }),
    );
};
