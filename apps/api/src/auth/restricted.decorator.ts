import { SetMetadata } from '@nestjs/common';
import type { SessionRestriction } from '@custos/contracts';

export const ALLOWED_WHILE_RESTRICTED = 'custos:allowed-while-restricted';

/**
 * A route a restricted session may still call: what its person must do first (enrol a second factor,
 * change a password someone else chose), and what lets them see where they stand or leave. Every other
 * route answers 403 MFA_ENROLMENT_REQUIRED or PASSWORD_CHANGE_REQUIRED to such a session.
 */
export const AllowedWhileRestricted = (...restrictions: SessionRestriction[]): MethodDecorator =>
  SetMetadata(ALLOWED_WHILE_RESTRICTED, restrictions);
