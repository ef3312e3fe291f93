import { afterAll, beforeAll, expect, it } from 'vitest';
import { shopCli } from '../support/cli';
import { randomId, startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/** `boomerang users …` and `boomerang audit` against the local stack, in-process. */
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
  'cli-users',
  () => stack,
  () => shop,
);

it('invites, lists, changes and removes users, and shows it all in the audit log', async () => {
  const owner = `${randomId('owner')}@example.com`;
  const mia = `${randomId('mia')}@example.com`;
  expect((await cli('users', 'invite', owner, '--role', 'owner')).code).toBe(0);
  const invited = await cli('users', 'invite', mia, '--role', 'marketer', '--name', 'Mia', '--json');
  expect(invited.code).toBe(0);
  expect(invited.json.user).toMatchObject({ email: mia, role: 'marketer', name: 'Mia' });
  const id = invited.json.user.id as string;

  const list = await cli('users', 'list');
  expect(list.stdout).toContain(mia);
  expect(list.stdout).toContain('marketer');

  const changed = await cli('users', 'update', id, '--role', 'support', '--json');
  expect(changed.json.user.role).toBe('support');
  expect((await cli('users', 'update', id, '--role', 'admin')).code).toBe(2);
  expect((await cli('users', 'update', id)).code).toBe(2);
  expect((await cli('users', 'remove', id)).code).toBe(0);
  expect((await cli('users', 'remove', id)).code).toBe(4);

  const audit = await cli('audit', '--json');
  expect(audit.json.items.map((e: { action: string }) => e.action)).toEqual([
    'user.removed',
    'user.updated',
    'user.invited',
    'user.invited',
  ]);
  const human = await cli('audit', '--action', 'user.updated');
  expect(human.stdout).toContain(`shop:${shop.shop.id}`);
  expect(human.stdout).toContain('user.updated');
});
