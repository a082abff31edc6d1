import type { Role } from '@custos/contracts';

/** The e-mail that carries an invitation's link to the person invited. */
export interface InvitationMail {
  to: string;
  /** The accept page, the one-time token in its fragment. */
  url: string;
  organization: string;
  role: Role;
  /** Who invited, as the mail names them: a person's e-mail or a service's name. */
  invitedBy: string;
  expiresAt: Date;
}

/**
 * Sends invitations by e-mail (SMTP_URL, docs/configuration.md); without one configured nothing is
 * sent and the inviter passes the link on. `send` rejects when the server refuses the mail.
 */
export interface InvitationMailer {
  readonly enabled: boolean;
  send(mail: InvitationMail): Promise<void>;
}

export const INVITATION_MAILER = Symbol('INVITATION_MAILER');

/** No mail server configured: invitations are shared by hand. */
export const NO_INVITATION_MAILER: InvitationMailer = {
  enabled: false,
  send: () => Promise.reject(new Error('no mail server is configured (SMTP_URL)')),
};
