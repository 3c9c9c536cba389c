import nodemailer from 'nodemailer';
import { mailOf } from './message';
import { causeOf, type Sender } from './sender';
import type { EmailSettings } from './settings';

// Bounded well inside the announcer's lease, so a hanging server cannot outlast the claim (see announcer.ts).
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/**
 * The print room's e-mail through the shop's SMTP server (nodemailer). The Message-ID is the announcement's, so a
 * repeat after a crash between the server's answer and our record carries the same one.
 */
export function emailSender(settings: EmailSettings, messageIdDomain: string): Sender {
  const transport = nodemailer.createTransport({ url: settings.smtpUrl, ...SMTP_TIMEOUTS });
  return {
    channel: 'email',
    async send(announcement) {
      try {
        await transport.sendMail({
          from: settings.from,
          to: settings.to,
          messageId: `<${announcement.messageId}@${messageIdDomain}>`,
          ...mailOf(announcement),
        });
        return { ok: true };
      } catch (error) {
        // 5xx is the server's "never": a refused address or sign-in, which a retry cannot cure.
        const code = (error as { responseCode?: number }).responseCode;
        return { ok: false, cause: causeOf(error), permanent: code !== undefined && code >= 500 };
      }
    },
    close: () => transport.close(),
  };
}
