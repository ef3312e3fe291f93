import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { usageError } from './exit-codes';

/**
 * Where the CLI finds the API: flags `--url/--key/--shop` over env `BOOMERANG_URL`,
 * `BOOMERANG_API_KEY`, `BOOMERANG_SHOP` over the config file
 * (`$XDG_CONFIG_HOME/boomerang/config.json`, else `~/.config/boomerang/config.json`; mode 600).
 */
export interface FileConfig {
  url?: string;
  key?: string;
  shop?: string;
}

export type Source = 'flag' | 'env' | 'file' | 'default' | 'unset';

export interface Setting {
  value: string | undefined;
  source: Source;
}

export interface EffectiveConfig {
  url: Setting;
  key: Setting;
  shop: Setting;
  file: string;
}

export type Env = Record<string, string | undefined>;

export const defaultUrl = 'http://localhost:3000';

export const configPath = (env: Env): string => {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'boomerang', 'config.json');
};

export const readConfigFile = async (file: string): Promise<FileConfig> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    const out: FileConfig = {};
    for (const k of ['url', 'key', 'shop'] as const) {
      const v = (parsed as Record<string, unknown>)[k];
      if (typeof v === 'string' && v) out[k] = v;
    }
    return out;
  } catch {
    throw usageError(`${file} is not a valid config file (expected JSON {"url","key","shop"})`);
  }
};

/** Merges `changes` into the file, creating it (dir 700, file 600) and tightening modes that were looser. */
export const writeConfigFile = async (file: string, changes: FileConfig): Promise<FileConfig> => {
  const next = { ...(await readConfigFile(file)), ...changes };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await chmod(dirname(file), 0o700);
  await writeFile(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return next;
};

const pick = (flag: string | undefined, env: string | undefined, file: string | undefined, dflt?: string): Setting => {
  if (flag) return { value: flag, source: 'flag' };
  if (env) return { value: env, source: 'env' };
  if (file) return { value: file, source: 'file' };
  if (dflt) return { value: dflt, source: 'default' };
  return { value: undefined, source: 'unset' };
};

export const effectiveConfig = async (flags: FileConfig, env: Env): Promise<EffectiveConfig> => {
  const file = configPath(env);
  const fromFile = await readConfigFile(file);
  return {
    url: pick(flags.url, env.BOOMERANG_URL, fromFile.url, defaultUrl),
    key: pick(flags.key, env.BOOMERANG_API_KEY, fromFile.key),
    shop: pick(flags.shop, env.BOOMERANG_SHOP, fromFile.shop),
    file,
  };
};

/**
 * Enough of a key to recognise it, never enough to use it: a shop key as the API hints it
 * (`bk_<shop>_…abcd`), anything else as its first 3 and last 4 characters.
 */
export const keyHint = (key: string | undefined): string | undefined => {
  if (!key) return undefined;
  const shopKey = key.match(/^(bk_[a-z0-9-]+_)/);
  if (shopKey && key.length > shopKey[1]!.length + 8) return `${shopKey[1]}…${key.slice(-4)}`;
  if (key.length >= 16) return `${key.slice(0, 3)}…${key.slice(-4)}`;
  return '…';
};
