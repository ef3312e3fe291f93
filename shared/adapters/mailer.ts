import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../app/nightly/ports';
import type { Runtime } from './runtime';

/**
 * E-mail through SES v2. The SDK honours AWS_ENDPOINT_URL_SESV2, which is how local runs and
 * tests reach SES local. In AWS the stack's configuration set is named on every send.
 * (`mailerFor` builds the process's client with a single attempt per send.)
 */
export const sesMailer = (client: SESv2Client = new SESv2Client({}), configurationSetName?: string): Mailer => ({
  async send(m) {
    const out = await client.send(new SendEmailCommand({
      FromEmailAddress: m.from,
      Destination: { ToAddresses: m.to },
      Content: {
        Simple: {
          Subject: { Data: m.subject, Charset: 'UTF-8' },
          Body: { Html: { Data: m.html, Charset: 'UTF-8' }, Text: { Data: m.text, Charset: 'UTF-8' } },
          ...(m.headers?.length ? { Headers: m.headers.map((h) => ({ Name: h.name, Value: h.value })) } : {}),
        },
      },
      ...(m.tags ? { EmailTags: Object.entries(m.tags).map(([Name, Value]) => ({ Name, Value })) } : {}),
      ...(configurationSetName ? { ConfigurationSetName: configurationSetName } : {}),
    }));
    return { messageId: out.MessageId };
  },
});

let cached: { client: SESv2Client; mailer: Mailer; configurationSet?: string } | undefined;

/**
 * The process's mailer, with the configuration set from the environment. Timeouts are short
 * so a hung SES call ends well within an outbox claim, and the send is then retried.
 */
export const mailerFor = (rt: Pick<Runtime, 'env'>): Mailer => {
  const configurationSet = rt.env.BOOMERANG_SES_CONFIGURATION_SET;
  if (!cached || cached.configurationSet !== configurationSet) {
    // One attempt: SendEmail has no idempotency key, so the SDK's own retry after a timeout
    // could send twice. The outbox retries instead, after checking whether SES has it.
    const client = cached?.client ?? new SESv2Client({ maxAttempts: 1, requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } });
    cached = { client, configurationSet, mailer: sesMailer(client, configurationSet) };
  }
  return cached.mailer;
};
