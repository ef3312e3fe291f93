import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../cli/main';
import type { Io } from '../../cli/output';
import type { CreatedShop, TestStack } from './stack';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed when it is a JSON object (`--json`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/**
 * `boomerang …` in-process against the local stack, configured for one shop by environment (its
 * API key and id) with a config directory of its own, as a script in a shell would run it.
 */
export const shopCli = (name: string, stack: () => TestStack, shop: () => CreatedShop) => {
  const dir = mkdtempSync(join(tmpdir(), `boomerang-${name}-`));
  return async (...argv: string[]): Promise<CliRun> => {
    let stdout = '';
    let stderr = '';
    const io: Io = {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      env: {
        HOME: dir,
        XDG_CONFIG_HOME: join(dir, 'xdg'),
        BOOMERANG_URL: stack().baseUrl,
        BOOMERANG_API_KEY: shop().apiKey,
        BOOMERANG_SHOP: shop().shop.id,
      },
      cwd: dir,
    };
    const code = await run(argv, io);
    return { code, stdout, stderr, json: stdout.trim().startsWith('{') ? JSON.parse(stdout) : undefined };
  };
};
