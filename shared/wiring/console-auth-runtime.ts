import type { ConsoleAuthDeps } from '../app/console-auth-service';
import { mailerFor } from '../adapters/mailer';
import { randomToken } from '../adapters/secrets';
import { publicBaseUrl, type Runtime } from './current-runtime';
import { consoleBuckets, consoleSessionDeps } from './console-session-runtime';

/** Console sign-in: the session deps plus the mailer, tokens and the sign-in rate limits. */
export const consoleAuthDeps = (rt: Runtime, baseUrl?: string): ConsoleAuthDeps => {
  const { perClient, perEmailAndClient, perEmail } = consoleBuckets(rt);
  return {
    ...consoleSessionDeps(rt),
    mailer: mailerFor(rt),
    logger: rt.logger,
    newToken: () => randomToken(32),
    limits: { perClient, perEmailAndClient, perEmail },
    ...(rt.env.BOOMERANG_CONSOLE_SENDER ? { sender: rt.env.BOOMERANG_CONSOLE_SENDER } : {}),
    baseUrl: publicBaseUrl(rt, baseUrl),
  };
};
