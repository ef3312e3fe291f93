import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/main';
import type { Io } from '../../cli/output';
import { reference, shopifyPaidOrder } from '../support/payloads';
import { startTestStack, randomId, type TestStack } from '../support/stack';

/**
 * `npx boomerang …` against the local stack, run in-process (`run(argv, io)`): every command
 * at least once with its --json output parsed, and the exit codes (usage 2, auth 3, not found 4,
 * partial 6).
 */
let stack: TestStack;
const dir = mkdtempSync(join(tmpdir(), 'boomerang-cli-'));

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** Runs the CLI with a private config home; `env` adds to it. */
const cli = async (argv: string[], env: Record<string, string> = {}, tty?: NodeJS.WriteStream): Promise<Ran> => {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), ...env },
    cwd: dir,
    pollMs: 50,
    ...(tty ? { stderrStream: tty } : {}),
  };
  const code = await run(argv, io);
  let json: unknown;
  try {
    json = stdout ? JSON.parse(stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
};

const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

const op = () => ['--url', stack.baseUrl, '--key', stack.operatorKey];

/** A shop made through the CLI: its id, key and webhook secret. */
const createShop = async () => {
  const id = randomId('cli-');
  const r = await cli([
    ...op(),
    '--json',
    'shops',
    'create',
    '--id',
    id,
    '--name',
    'CLI Shop',
    '--platform',
    'custom',
    '--storefront-url',
    'https://cli.example.com',
    '--currency',
    'DKK',
    '--timezone',
    'Europe/Copenhagen',
    '--locale',
    'da-DK',
    '--sender-email',
    'hello@cli.example.com',
  ]);
  expect(r.code, r.stderr).toBe(0);
  return { id, key: r.json.apiKey as string, secret: r.json.webhookSecret as string };
};

let shop: { id: string; key: string; secret: string };
const as = () => ['--url', stack.baseUrl, '--key', shop.key, '--shop', shop.id, '--json'];

const orderPaid = (customerId: string, orderId: string, total = 300) =>
  JSON.stringify({
    id: `evt-${orderId}`,
    type: 'order.paid',
    createdAt: new Date(Date.now() - 86_400_000).toISOString(),
    data: {
      id: orderId,
      currency: 'DKK',
      createdAt: new Date(Date.now() - 86_400_000).toISOString(),
      customer: { id: customerId, email: `${customerId}@example.com` },
      lines: [{ id: '1', productId: 'p1', quantity: 1, price: `${total}.00` }],
      total: `${total}.00`,
    },
  }) + '\n';

describe('usage and help', () => {
  it('--help on the root and on a command lists the commands and the exit codes (0)', async () => {
    const root = await cli(['--help']);
    expect(root.code).toBe(0);
    for (const name of [
      'config',
      'shops',
      'program',
      'customers',
      'webhooks',
      'import',
      'nightly',
      'segments',
      'exports',
      'metrics',
    ])
      expect(root.stdout).toContain(name);
    const sub = await cli(['shops', 'rotate-key', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('Exit codes:');
    expect(sub.stdout).toContain('--json');
  });

  it('bad flags, missing arguments and an import without --format are usage errors (2)', async () => {
    expect((await cli(['shops', 'list', '--bogus'])).code).toBe(2);
    expect((await cli(['customers', 'get'])).code).toBe(2);
    expect((await cli(['nightly', 'run', '--as-of', '31-12-2026', '--shop', 'x'])).code).toBe(2);
    const imp = await cli(['import', 'balances', 'members.csv']);
    expect(imp.code).toBe(2);
    expect(imp.stderr).toContain('--format');
    expect((await cli(['import', 'orders', 'x.csv', '--format', 'smile'])).code).toBe(2);
  });

  it('an unreachable server is exit 5', async () => {
    const r = await cli(['--url', 'http://127.0.0.1:9', '--key', 'k', '--json', 'shops', 'list']);
    expect(r.code).toBe(5);
    expect(r.json.error.code).toBe('network_error');
  });
});

describe('the bin', () => {
  it('`node cli/bin.mjs` runs the TypeScript CLI through tsx and exits with its code', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '../../cli/bin.mjs'), 'import', 'orders', 'x.jsonl'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg-bin') },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("required option '--format");
  });
});

describe('config', () => {
  it('set writes a 600 file in a 700 directory; flags beat env beat the file; the key is only hinted', async () => {
    const key = `op_${'x'.repeat(30)}wxyz`;
    const set = await cli([
      'config',
      'set',
      '--url',
      'http://file.example',
      '--key',
      key,
      '--shop',
      'file-shop',
      '--json',
    ]);
    expect(set.code, set.stderr).toBe(0);
    const path = join(dir, 'xdg', 'boomerang', 'config.json');
    expect(set.json.file).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'xdg', 'boomerang')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ url: 'http://file.example', key, shop: 'file-shop' });

    const shown = await cli(['config', '--json']);
    expect(shown.json).toMatchObject({
      url: 'http://file.example',
      urlSource: 'file',
      key: 'op_…wxyz',
      keySource: 'file',
    });
    expect(shown.stdout).not.toContain(key);
    const human = await cli(['config']);
    expect(human.stdout).toContain('op_…wxyz');
    expect(human.stdout).not.toContain(key);

    const env = await cli(['config', '--json'], { BOOMERANG_URL: 'http://env.example', BOOMERANG_SHOP: 'env-shop' });
    expect(env.json).toMatchObject({
      url: 'http://env.example',
      urlSource: 'env',
      shop: 'env-shop',
      keySource: 'file',
    });
    const flag = await cli(['--url', 'http://flag.example', 'config', '--json'], {
      BOOMERANG_URL: 'http://env.example',
    });
    expect(flag.json).toMatchObject({ url: 'http://flag.example', urlSource: 'flag' });
  });
});

describe('shops', () => {
  beforeAll(async () => {
    shop = await createShop();
  });

  it('create (operator) shows the key once; get with the shop key; unknown shop is 4', async () => {
    expect(shop.key).toMatch(new RegExp(`^bk_${shop.id}_`));
    const got = await cli([...as(), 'shops', 'get']);
    expect(got.code).toBe(0);
    expect(got.json.shop).toMatchObject({ id: shop.id, name: 'CLI Shop', platform: 'custom' });
    expect(got.stdout).not.toContain('"webhookSecret"');
    expect((await cli([...op(), 'shops', 'get', 'no-such-shop'])).code).toBe(4);
    const human = await cli(['--url', stack.baseUrl, '--key', shop.key, 'shops', 'get', shop.id]);
    expect(human.stdout).toMatch(/name\s+CLI Shop/);
  });

  it('create without required flags is 2 and sends nothing', async () => {
    const r = await cli([...op(), 'shops', 'create', '--id', 'half-made']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name');
    expect((await cli([...op(), 'shops', 'get', 'half-made'])).code).toBe(4);
  });

  it('list (operator only) pages with --limit and follows every page with --all', async () => {
    const other = await createShop();
    const page = await cli([...op(), '--json', 'shops', 'list', '--limit', '1']);
    expect(page.code).toBe(0);
    expect(page.json.items).toHaveLength(1);
    expect(page.json.nextCursor).toEqual(expect.any(String));
    const all = await cli([...op(), '--json', 'shops', 'list', '--limit', '1', '--all']);
    const ids = all.json.items.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([shop.id, other.id]));
    expect(all.json.nextCursor).toBeNull();
    expect(all.stdout).not.toContain('apiKeyHash');
    const human = await cli([...op(), 'shops', 'list']);
    expect(human.stdout).toMatch(/^id\s+name\s+platform/);
    expect((await cli([...as(), 'shops', 'list'])).code).toBe(3);
  });

  it('rotate-key: the new key works and the old one is refused (3)', async () => {
    const other = await createShop();
    const r = await cli(['--url', stack.baseUrl, '--key', other.key, '--json', 'shops', 'rotate-key', other.id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.apiKey).toMatch(new RegExp(`^bk_${other.id}_`));
    expect(r.json.apiKey).not.toBe(other.key);
    const old = await cli(['--url', stack.baseUrl, '--key', other.key, '--json', 'shops', 'get', other.id]);
    expect(old.code).toBe(3);
    expect(old.json.error.status).toBe(403);
    expect((await cli(['--url', stack.baseUrl, '--key', r.json.apiKey, 'shops', 'get', other.id])).code).toBe(0);
  });
});

describe('webhooks, customers, program', () => {
  it('webhooks replay signs the file and sends it; a wrong secret is 3, a refused payload 6', async () => {
    const body = file('order-1.json', orderPaid('c1', 'o-1'));
    const ok = await cli([...as(), 'webhooks', 'replay', body, '--platform', 'custom', '--secret', shop.secret]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.json.status).toBe(200);
    const bad = await cli([...as(), 'webhooks', 'replay', body, '--platform', 'custom'], {
      BOOMERANG_WEBHOOK_SECRET: 'not-the-secret-at-all',
    });
    expect(bad.code).toBe(3);
    const junk = file('junk.json', '{"id":"e-x","type":"order.paid","createdAt":"2026-01-01T00:00:00Z","data":{}}');
    const refused = await cli([...as(), 'webhooks', 'replay', junk, '--platform', 'custom', '--secret', shop.secret]);
    expect(refused.code).toBe(6);
    expect(refused.json.status).toBe(400);
    expect((await cli([...as(), 'webhooks', 'replay', body, '--platform', 'shopify', '--secret', 's'])).code).toBe(2);
  });

  it('webhooks replay signs as Shopify and WooCommerce do (their own shops accept the samples)', async () => {
    const shopify = await stack.createShop({ platform: 'shopify', currency: 'USD' });
    const sBody = file('shopify-order.json', shopifyPaidOrder());
    const s = await cli([
      ...['--url', stack.baseUrl, '--shop', shopify.shop.id, '--json', 'webhooks', 'replay', sBody],
      ...['--platform', 'shopify', '--topic', 'orders/paid', '--secret', shopify.input.webhookSecret],
    ]);
    expect(s.code, s.stdout).toBe(0);
    expect(s.json.body).toEqual({ status: 'processed', orderId: '820982911946154508' });

    const woo = await stack.createShop({ platform: 'woocommerce', currency: 'USD' });
    const wBody = file('woo-order.json', reference('woocommerce/order.update-example.completed.wire-derived.json'));
    const w = await cli([
      ...['--url', stack.baseUrl, '--shop', woo.shop.id, '--json', 'webhooks', 'replay', wBody],
      ...['--platform', 'woocommerce', '--topic', 'order.updated', '--secret', woo.input.webhookSecret],
    ]);
    expect(w.code, w.stdout).toBe(0);
    expect(w.json.body).toEqual({ status: 'processed', orderId: '727' });
  });

  it('rotate-webhook-secret: deliveries signed with the new secret are accepted', async () => {
    const r = await cli([...as(), 'shops', 'rotate-webhook-secret']);
    expect(r.code).toBe(0);
    expect(r.json.previousValidUntil).toEqual(expect.any(String));
    shop.secret = r.json.webhookSecret;
    const body = file('order-2.json', orderPaid('c2', 'o-2', 500));
    const sent = await cli([...as(), 'webhooks', 'replay', body, '--platform', 'custom', '--secret', shop.secret]);
    expect(sent.code, sent.stdout).toBe(0);
  });

  it('customers get, adjust (idempotent) and export; an unknown customer is 4', async () => {
    const got = await cli([...as(), 'customers', 'get', 'c1']);
    expect(got.code, got.stderr).toBe(0);
    const before = got.json.points.balance as number;
    const adj = [
      'customers',
      'adjust',
      'c1',
      '--points',
      '25',
      '--reason',
      'Goodwill',
      '--idempotency-key',
      'cli-adj-1',
    ];
    const r = await cli([...as(), ...adj]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.points.balance).toBe(before + 25);
    expect((await cli([...as(), ...adj])).json.points.balance).toBe(before + 25);
    expect((await cli([...as(), 'customers', 'adjust', 'c1', '--points', 'x', '--reason', 'r'])).code).toBe(2);
    const exported = await cli([...as(), 'customers', 'export', 'c1']);
    expect(exported.code).toBe(0);
    expect(JSON.stringify(exported.json)).toContain('c1@example.com');
    const human = await cli(['--url', stack.baseUrl, '--key', shop.key, '--shop', shop.id, 'customers', 'get', 'c1']);
    expect(human.stdout).toContain('Goodwill');
    expect((await cli([...as(), 'customers', 'get', 'nobody@example.com'])).code).toBe(4);
  });

  it('program set validates locally (2, nothing sent), shows the changed paths, and saves', async () => {
    const current = await cli([...as(), 'program', 'get']);
    expect(current.code).toBe(0);
    expect(current.json.earning.rate.points).toBe(1);
    const human = await cli(['--url', stack.baseUrl, '--key', shop.key, '--shop', shop.id, 'program', 'get']);
    expect(human.stdout).toContain('earning:');

    const invalid = file('bad.yaml', 'earning:\n  rate:\n    points: -3\n');
    const bad = await cli([...as(), 'program', 'set', invalid]);
    expect(bad.code).toBe(2);
    expect(bad.json.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'program.earning.rate.points' })]),
    );

    const next = {
      ...current.json,
      earning: { ...current.json.earning, rate: { points: 2, per: 1 } },
      returnWindowDays: 30,
    };
    const yaml = file('program.yaml', (await import('yaml')).stringify(next));
    const dry = await cli([...as(), 'program', 'set', yaml, '--dry-run']);
    expect(dry.json).toMatchObject({ sent: false });
    expect((await cli([...as(), 'program', 'get'])).json.earning.rate.points).toBe(1);
    const set = await cli([...as(), 'program', 'set', yaml]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.json.changes).toEqual([
      { path: 'earning.rate.points', from: 1, to: 2 },
      { path: 'returnWindowDays', from: 14, to: 30 },
    ]);
    expect((await cli([...as(), 'program', 'get'])).json.earning.rate.points).toBe(2);
    const again = await cli(['--url', stack.baseUrl, '--key', shop.key, '--shop', shop.id, 'program', 'set', yaml]);
    expect(again.stdout).toContain('no changes');

    // PATCH merges maps: an e-mail override the file leaves out stays, and the CLI says so (6).
    const patched = await stack.api('PATCH', `/admin/shops/${shop.id}`, {
      key: shop.key,
      body: { program: { emails: { overrides: { tier_up: { en: { subject: 'You moved up' } } } } } },
    });
    expect(patched.status).toBe(200);
    const kept = await cli([...as(), 'program', 'set', yaml]);
    expect(kept.code).toBe(6);
    expect(kept.json.notApplied).toEqual([
      { path: 'emails.overrides.tier_up', from: { en: { subject: 'You moved up' } } },
    ]);
    expect(kept.stderr).toContain('emails.overrides.tier_up: {"en":{"subject":"You moved up"}} → (absent)');
  });
});

describe('nightly, segments, exports', () => {
  it('nightly run waits for the job and shows the model and segments; segments list and exports download read it', async () => {
    const asOf = new Date().toISOString().slice(0, 10);
    const r = await cli([...as(), 'nightly', 'run', '--as-of', asOf]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json.status).toBe('succeeded');
    expect(r.json.result.model.selected).toEqual(expect.any(String));
    const jobId = r.json.jobId as string;

    const seg = await cli([...as(), 'segments', 'list', '--job', jobId]);
    expect(seg.code).toBe(0);
    expect(Object.values(seg.json.segments as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(2);
    expect((await cli([...as(), 'segments', 'list', '--as-of', '2020-01-01'])).code).toBe(4);
    // Without --job or --as-of: the latest run that succeeded (the run history, GET …/jobs).
    const latest = await cli([...as(), 'segments', 'list']);
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.json).toEqual(seg.json);

    const csv = await cli([...as(), 'exports', 'download', '--job', jobId, '--out', 'customers.csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const text = readFileSync(join(dir, 'customers.csv'), 'utf8');
    expect(text.split('\n')[0]).toContain('customer_id');
    expect(text).toContain('c2');
    const json = await cli([...as(), 'exports', 'download', '--job', jobId, '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.stringify(json.json)).toContain('c1');

    // On a terminal the run draws a progress bar on stderr.
    let drawn = '';
    const terminal = Object.assign(new Writable({ write: (chunk, _e, done) => ((drawn += String(chunk)), done()) }), {
      isTTY: true,
      columns: 100,
    }) as unknown as NodeJS.WriteStream;
    const human = await cli(
      ['--url', stack.baseUrl, '--key', shop.key, '--shop', shop.id, 'nightly', 'run', '--as-of', asOf],
      {},
      terminal,
    );
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/segment\s+customers/);
    expect(drawn).toContain('nightly [');
  });
});

describe('import', () => {
  it('imports balances, reports a failed row with its line (6), and a second run skips every row (0)', async () => {
    const mine = await createShop();
    const args = ['--url', stack.baseUrl, '--key', mine.key, '--shop', mine.id];
    const csv = file('members.csv', 'email,points\nann@example.com,100\nbroken-row,7\nbo@example.com,40\n');
    const r = await cli([...args, '--json', 'import', 'balances', csv, '--format', 'plain']);
    expect(r.code, r.stderr).toBe(6);
    expect(r.json).toMatchObject({ status: 'completed', imported: 2, failed: 1 });
    expect(r.json.errors).toEqual([{ line: 3, message: expect.stringContaining('broken-row') }]);

    const human = await cli([...args, 'import', 'balances', csv, '--format', 'plain']);
    expect(human.code).toBe(6);
    expect(human.stdout).toMatch(/skipped\s+2/);
    expect(human.stdout).toMatch(/3\s+"broken-row" is not an e-mail address/);

    const ann = await cli([...args, '--json', 'customers', 'get', 'ann@example.com']);
    expect(ann.json.points.balance).toBe(100);

    const list = await cli([...args, '--json', 'import', 'list']);
    expect(list.json.imports).toHaveLength(2);
    const status = await cli([...args, '--json', 'import', 'status', r.json.importId]);
    expect(status.json.importId).toBe(r.json.importId);
    expect((await cli([...args, 'import', 'resume', r.json.importId])).code).toBe(6);
  });

  it('imports order history (0) with a progress bar on a terminal; strict mode with a bad row writes nothing (6)', async () => {
    const mine = await createShop();
    const args = ['--url', stack.baseUrl, '--key', mine.key, '--shop', mine.id];
    const jsonl = file('orders.jsonl', orderPaid('h1', 'ho-1') + orderPaid('h1', 'ho-2', 120));
    let drawn = '';
    const terminal = Object.assign(new Writable({ write: (chunk, _e, done) => ((drawn += String(chunk)), done()) }), {
      isTTY: true,
      columns: 100,
    }) as unknown as NodeJS.WriteStream;
    const r = await cli(
      [...args, 'import', 'orders', jsonl, '--format', 'custom-jsonl', '--award-points'],
      {},
      terminal,
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/imported\s+2/);
    expect(drawn).toContain('import [');
    const h1 = await cli([...args, '--json', 'customers', 'get', 'h1']);
    expect(h1.json.points.balance + h1.json.points.pending).toBe(420);

    const bad = file('bad.jsonl', orderPaid('h2', 'ho-3') + '{oops\n');
    const strict = await cli([...args, '--json', 'import', 'orders', bad, '--format', 'custom-jsonl', '--strict']);
    expect(strict.code).toBe(6);
    expect(strict.json).toMatchObject({ status: 'failed', imported: 0, error: { code: 'strict_rejected' } });
    expect(strict.json.errors).toEqual([{ line: 2, message: 'not valid JSON' }]);
    expect((await cli([...args, '--json', 'customers', 'get', 'h2'])).code).toBe(4);
  });
});
