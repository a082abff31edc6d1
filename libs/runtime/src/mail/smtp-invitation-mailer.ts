import { NO_INVITATION_MAILER, type InvitationMail, type InvitationMailer } from '@custos/application';
import { createTransport } from 'nodemailer';
import type { CustosConfig } from '../config/custos-config';

/** How long one mail may take, connecting included, before the invitation is answered as not e-mailed. */
const SEND_TIMEOUT_MS = 10_000;

/** Invitations by SMTP (nodemailer), to the server of SMTP_URL. */
export class SmtpInvitationMailer implements InvitationMailer {
  readonly enabled = true;
  private readonly transport: ReturnType<typeof createSmtpTransport>;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createSmtpTransport(smtpUrl);
  }

  async send(mail: InvitationMail): Promise<void> {
    const expires = mail.expiresAt.toUTCString();
    await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: `You are invited to ${mail.organization} on Custos`,
      text: [
        `${mail.invitedBy} invited you to join ${mail.organization} on Custos as ${mail.role}.`,
        '',
        'Open this link to choose your password and sign in (it works once):',
        mail.url,
        '',
        `The link expires on ${expires}. If you did not expect this invitation, ignore this e-mail.`,
      ].join('\n'),
    });
  }
}

function createSmtpTransport(url: string) {
  return createTransport({ url, connectionTimeout: SEND_TIMEOUT_MS, greetingTimeout: SEND_TIMEOUT_MS, socketTimeout: SEND_TIMEOUT_MS });
}

/** The mailer of the configuration: SMTP when SMTP_URL is set, none otherwise. */
export function invitationMailerOf(config: Pick<CustosConfig, 'SMTP_URL' | 'CUSTOS_MAIL_FROM'>): InvitationMailer {
  return config.SMTP_URL ? new SmtpInvitationMailer(config.SMTP_URL, config.CUSTOS_MAIL_FROM) : NO_INVITATION_MAILER;
}
