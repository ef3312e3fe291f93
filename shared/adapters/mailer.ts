import type { Mailer } from '../app/ports/mailer';
import { awsService, jsonError, type AwsService } from './aws-http';
import type { Env } from '../schemas/env';

/**
 * SES v2's REST-JSON API through aws-http.ts (the SDK's SES client would bring the SDK's core,
 * some 250 KB, into every function that sends). Like the SDK it honours AWS_ENDPOINT_URL_SESV2,
 * which is how local runs and tests reach SES local, and its errors carry SES's error code as
 * `name` and the HTTP status in `$metadata` (what sendErrorKind reads).
 */
export const sesClient = (options: { maxAttempts?: number; timeoutMs?: number } = {}): AwsService =>
  awsService({
    service: 'ses',
    endpointId: 'SESV2',
    host: (region) => `email.${region}.amazonaws.com`,
    error: jsonError,
    ...options,
  });

/** E-mail through SES v2. In AWS the stack's configuration set is named on every send. */
export const sesMailer = (client: AwsService = sesClient(), configurationSetName?: string): Mailer => ({
  async send(m) {
    const request = {
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
    };
    const { body } = await client.send({
      method: 'POST',
      path: '/v2/email/outbound-emails',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    const out = (body.length ? JSON.parse(body.toString('utf8')) : {}) as { MessageId?: string };
    return { messageId: out.MessageId };
  },
});

let cached: { client: AwsService; mailer: Mailer; configurationSet?: string } | undefined;

/**
 * The process's mailer, with the configuration set from the environment. Timeouts are short
 * so a hung SES call ends well within an outbox claim, and the send is then retried.
 */
export const mailerFor = (rt: { env: Env }): Mailer => {
  const configurationSet = rt.env.BOOMERANG_SES_CONFIGURATION_SET;
  if (!cached || cached.configurationSet !== configurationSet) {
    // One attempt: SendEmail has no idempotency key, so a retry after a timeout could send
    // twice. The outbox retries instead, after checking whether SES has it. 13 s at most.
    const client = cached?.client ?? sesClient({ maxAttempts: 1, timeoutMs: 13_000 });
    cached = { client, configurationSet, mailer: sesMailer(client, configurationSet) };
  }
  return cached.mailer;
};
