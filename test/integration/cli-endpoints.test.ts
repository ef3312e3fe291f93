import { afterAll, beforeAll, expect, it } from 'vitest';
import { shopCli } from '../support/cli';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/** `boomerang endpoints …` against the local stack, in-process, with --json parsed. */
let stack: TestStack;
let shop: CreatedShop;

beforeAll(async () => {
  stack = await startTestStack();
  shop = await stack.createShop();
});
afterAll(async () => {
  await stack?.close();
});

const cli = shopCli(
  'cli-endpoints',
  () => stack,
  () => shop,
);

it('registers, lists, changes, rotates, shows deliveries of and deletes an endpoint', async () => {
  const created = await cli(
    'endpoints',
    'create',
    'https://hooks.example.com/a',
    '--events',
    'points.earned,tier.changed',
    '--json',
  );
  expect(created.code).toBe(0);
  expect(created.json).toMatchObject({ id: expect.stringMatching(/^ep_/), secret: expect.stringMatching(/^whsec_/) });
  const id = created.json.id as string;

  const human = await cli('endpoints', 'list');
  expect(human.stdout).toContain(id);
  expect(human.stdout).not.toContain(created.json.secret.slice(6, 30));

  const updated = await cli('endpoints', 'update', id, '--events', '*', '--disable', '--json');
  expect(updated.json.endpoint).toMatchObject({ events: ['*'], enabled: false });
  expect((await cli('endpoints', 'update', id)).code).toBe(2);

  const rotated = await cli('endpoints', 'rotate-secret', id, '--json');
  expect(rotated.json.secret).not.toBe(created.json.secret);

  const log = await cli('endpoints', 'deliveries', id, '--json');
  expect(log.json).toEqual({ items: [], nextCursor: null });

  const bad = await cli('endpoints', 'create', 'http://169.254.169.254/', '--events', '*', '--json');
  expect(bad.code).not.toBe(0);
  expect(bad.json.error.code).toBe('url_not_allowed');

  expect((await cli('endpoints', 'delete', id, '--json')).json).toEqual({ deleted: id });
  expect((await cli('endpoints', 'get', id)).code).toBe(4);
});
