import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../app/nightly/ports';

/**
 * E-mail through SES v2. The SDK honours AWS_ENDPOINT_URL_SESV2, which is how local runs and
 * tests reach SES local. In AWS the stack's configuration set is named on every send.
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
        },
      },
      ...(configurationSetName ? { ConfigurationSetName: configurationSetName } : {}),
    }));
    return { messageId: out.MessageId };
  },
});
