/**
 * `npm run demo [-- --customers N] [--seed S] [--quiet]`: a demo shop with a year of simulated
 * behaviour in a running `npm start` (local/demo.ts), then where to look.
 *
 * URL from BOOMERANG_URL (default http://127.0.0.1:3000, or PORT); the operator key from
 * BOOMERANG_OPERATOR_KEY, else the file `npm start` keeps it in (`$BOOMERANG_DATA_DIR/operator-key`,
 * default `.data/operator-key`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { ApiError } from '../cli/client';
import { demoCustomerToken, runDemo, type DemoProgress } from './demo';

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive whole number');
  return n;
};

const program = new Command('npm run demo')
  .description('Creates a demo shop in a running `npm start` and simulates a year of customers through its API.')
  .option('--customers <n>', 'simulated customers (besides referred friends)', positiveInt, 500)
  .option('--seed <s>', 'random seed: the same seed tells the same story', positiveInt, 1)
  .option('--quiet', 'no progress bar')
  .parse();
const opts = program.opts<{ customers: number; seed: number; quiet?: boolean }>();

const baseUrl = (process.env.BOOMERANG_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
const keyFile = resolve(process.env.BOOMERANG_DATA_DIR ?? '.data', 'operator-key');
const operatorKey =
  process.env.BOOMERANG_OPERATOR_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);

const fail = (message: string): never => {
  console.error(`demo: ${message}`);
  process.exit(1);
};

const main = async () => {
  if (!operatorKey)
    fail(`no operator key: start Boomerang first (npm start writes ${keyFile}) or set BOOMERANG_OPERATOR_KEY.`);
  const health = await fetch(`${baseUrl}/health`).catch(() => undefined);
  if (!health?.ok) fail(`Boomerang is not answering at ${baseUrl}: run \`npm start\` in another terminal first.`);

  const showBar = !opts.quiet && process.stderr.isTTY;
  const bar = new SingleBar(
    { format: '  {phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: false, stream: process.stderr },
    Presets.shades_classic,
  );
  let barStarted = false;
  const progress: DemoProgress = {
    phase(name, total) {
      if (!showBar) {
        if (!opts.quiet) console.error(`  ${name} (${total})…`);
        return;
      }
      if (barStarted) bar.stop();
      bar.start(total, 0, { phase: name.padEnd(20) });
      barStarted = true;
    },
    tick: () => showBar && bar.increment(),
  };

  console.log(
    `\n  Demo shop: ${opts.customers} customers, seed ${opts.seed}, against ${baseUrl}\n` +
      '  (the year up to four weeks ago goes through the bulk import, the last four weeks through signed webhooks)\n',
  );
  const r = await runDemo({ baseUrl, operatorKey: operatorKey!, customers: opts.customers, seed: opts.seed, progress });
  if (barStarted) bar.stop();

  const n = r.nightly.result;
  const shopPath = `/admin/shops/${r.shopId}`;
  const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const token = r.showcaseCustomerId ? await demoCustomerToken(r.storefrontSecret, r.showcaseCustomerId) : undefined;
  const segments = Object.entries(n?.segments ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    '',
    `  Done in ${r.seconds.toFixed(1)} s`,
    '',
    `  Shop           ${r.shopName} (${r.shopId}), custom platform, EUR`,
    `  API key        ${r.apiKey}   (shown once: keep it)`,
    `  Webhook secret ${r.webhookSecret}`,
    `  Storefront secret ${r.storefrontSecret}   (signs customer tokens: docs/storefront.md)`,
    '',
    `  Customers      ${r.customers} (${r.buyers} with an order that stands)`,
    `  Orders         ${r.orders.accepted} accepted of ${r.orders.sent}; ${r.orders.refunded} refunds, ${r.orders.cancelled} cancellations` +
      (r.webhooks.refused ? `; ${r.webhooks.refused} webhooks refused` : ''),
    `  History import ${r.history.events} events in ${r.history.seconds.toFixed(1)} s (import ${r.history.importId}); ${r.webhooks.sent} webhooks after it`,
    `  Referrals      ${r.referrals.codes} codes, ${r.referrals.friends} friends, ${r.referrals.fraudAttempts} fraud attempts → ${r.referrals.referred} referred, ${r.referrals.held} held, ${r.referrals.rejected} rejected`,
    `  Redemptions    ${r.redemptions}`,
    `  NPS answers    ${r.npsAnswers} (dated today: the run as of today, tonight's, counts them)`,
    `  Activities     ${r.activities.posted} reviews, sign-ups and follows; ${r.activities.awarded} earned points`,
    `  VIP Club       ${r.members} paid members; ${r.exclusiveRedemptions} redeemed the members-only lot`,
    `  Nightly job    ${r.nightly.jobId} as of ${r.nightly.asOf}: ${r.nightly.status} in ${r.nightly.seconds.toFixed(1)} s` +
      (n?.model?.selected ? `, model ${n.model.selected}` : ''),
    ...(segments ? [`  Segments       ${segments}`] : []),
    ...r.webhooks.firstErrors.map((e) => `  ! ${e}`),
    '',
    '  Where to look',
    `  Console        ${baseUrl}/console   sign in as ${r.consoleUsers.map((u) => `${u.email} (${u.role})`).join(', ')};`,
    '                 the sign-in link arrives in the mailbox below',
    `  Hosted page    ${baseUrl}/p/${r.shopId}   (the program, as a visitor sees it)`,
    ...(token
      ? [
          `  Signed in      ${baseUrl}/p/${r.shopId}?token=${token}`,
          '                 (customer token: valid 10 minutes)',
        ]
      : []),
    `  Widget page    ${baseUrl}/local/widget-test/${r.shopId}${token ? `?token=${token}` : ''}   (a stand-in shop page with the widget${token ? ', signed in' : ''})`,
    `  Widget         <script src="${baseUrl}/widget.js" data-shop="${r.shopId}" async></script>   (docs/storefront.md)`,
    `  Mailbox        ${process.env.AWS_ENDPOINT_URL_SESV2 ? `${process.env.AWS_ENDPOINT_URL_SESV2.replace(/\/+$/, '')}/` : 'the "Mailbox UI" URL in the npm start banner'}: the nightly report to ${r.marketerEmail}, points, tier and referral e-mails`,
    ...(n?.export?.csv ? [`  Export CSV     ${n.export.csv.url}`] : []),
    ...(n?.export?.json ? [`  Export JSON    ${n.export.json.url}`] : []),
    '',
    '  Try',
    `  npx boomerang config set --url ${baseUrl} --key ${r.apiKey} --shop ${r.shopId}`,
    '  npx boomerang program get',
    `  npx boomerang customers get ${r.showcaseCustomerId ?? 'c0001'}`,
    `  npx boomerang segments list --job ${r.nightly.jobId}`,
    `  npx boomerang exports download --job ${r.nightly.jobId} --format csv --out segments.csv`,
    `  curl -H "authorization: Bearer ${r.apiKey}" "${baseUrl}${shopPath}/referrals/stats?from=${yearAgo}"`,
    `  curl -H "authorization: Bearer ${r.apiKey}" "${baseUrl}${shopPath}/metrics"   (NPS, loyalty index, engagement over time)`,
    '',
  ];
  console.log(lines.join('\n'));
  if (r.nightly.status !== 'succeeded') process.exitCode = 1;
};

main().catch((e: unknown) => {
  console.error(e instanceof ApiError ? `demo: ${e.message}` : e);
  process.exitCode = 1;
});
