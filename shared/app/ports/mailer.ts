/** Sends one e-mail (SES v2: shared/adapters/mailer.ts). */
export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Extra headers, e.g. List-Unsubscribe (SES adds its own; these must not clash). */
  headers?: { name: string; value: string }[];
  /** SES message tags: they come back in SES's bounce, complaint and send events. */
  tags?: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId?: string }>;
}
