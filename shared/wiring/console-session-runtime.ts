import type { ConsoleSessionDeps } from '../app/console-session-service';
import { TokenBuckets } from '../app/rate-limit';
import { dynamoConsoleSessionStore } from '../adapters/console-session-store';
import { hashSecret } from '../adapters/secrets';
import { runtimeGeneration, type Runtime } from './current-runtime';
import { userStore } from './console-runtime';

/**
 * What every console request needs: the session store and users (docs/console.md). Rate limits
 * are per container, as the storefront's are: they stop one client hammering a warm container;
 * API Gateway throttles the rest.
 */
let made:
  | {
      generation: number;
      perSession: TokenBuckets;
      perClient: TokenBuckets;
      perEmailAndClient: TokenBuckets;
      perEmail: TokenBuckets;
    }
  | undefined;

export const consoleBuckets = (rt: Runtime) => {
  if (made?.generation !== runtimeGeneration()) {
    const perClient = rt.env.BOOMERANG_CONSOLE_SIGNIN_RATE_PER_MINUTE;
    made = {
      generation: runtimeGeneration(),
      // A person clicking through the console makes a few requests a second at most.
      perSession: new TokenBuckets({ perMinute: 600, burst: 300 }),
      perClient: new TokenBuckets({ perMinute: perClient, burst: perClient * 2 }),
      // Five links at once, then one every ten minutes: enough for a person, useless for a flood.
      perEmailAndClient: new TokenBuckets({ perMinute: 0.1, burst: 5 }),
      // Across clients, so rotating addresses cannot mail one person without end.
      perEmail: new TokenBuckets({ perMinute: 0.5, burst: 30 }),
    };
  }
  return made;
};

export const consoleSessionDeps = (rt: Runtime): ConsoleSessionDeps => ({
  sessions: dynamoConsoleSessionStore(rt.table, rt.tableName),
  users: userStore(rt),
  shops: rt.shops,
  clock: rt.clock,
  // Tokens carry 256 bits of randomness, so a plain SHA-256 is their stored form, as for API keys.
  hash: hashSecret,
});
