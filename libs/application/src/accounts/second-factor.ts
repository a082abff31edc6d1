import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { SecretBox, TokenHasher, totpStepOf } from '@custos/crypto';
import { UserRepository, type Tx, type UserEntity } from '@custos/persistence';
import { WebauthnCeremonies, type AuthenticationResponseJSON } from '../passkeys/webauthn-ceremonies';

/**
 * A second factor as a person presents it: a code from their authenticator app, one of their recovery
 * codes, or a passkey's assertion (WebAuthn) of the challenge the server gave them (`expectedChallenge`,
 * filled in by the server from where it stored it, never by the client).
 */
export type MfaProof = { code: string } | { webauthn: AuthenticationResponseJSON; expectedChallenge?: string | null };

export type MfaMethod = 'totp' | 'recovery_code' | 'webauthn';

/** Sealed TOTP secrets are bound to this purpose and to their user. */
export const TOTP_SEAL_PURPOSE = 'totp';

/** A sealed secret opens only for the user it was sealed for. */
export function totpSealContext(user: { tenantId: string; id: string }): string {
  return `${user.tenantId}/${user.id}`;
}

/** Recovery codes look like `k7m2-p9xq-4tnv`: 60 bits, typed by a person in a hurry. */
export const RECOVERY_CODE_PATTERN = /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/;

export type SecondFactorUsers = Pick<UserRepository, 'acceptTotpStep' | 'consumeRecoveryCode'>;

/**
 * Checks a person's second factor inside the caller's transaction. A TOTP code is good once (its time
 * step must be later than any accepted before); a recovery code is used up; a passkey's signature counter
 * must grow. Wrong, replayed or unknown
 * answers are all the same INVALID_MFA.
 */
@Injectable()
export class SecondFactor {
  constructor(
    private readonly box: SecretBox,
    private readonly hasher: TokenHasher,
    @Inject(UserRepository) private readonly users: SecondFactorUsers,
    private readonly webauthn: WebauthnCeremonies,
  ) {}

  async check(tx: Tx, user: UserEntity, proof: MfaProof, now = new Date()): Promise<MfaMethod> {
    if ('webauthn' in proof) {
      await this.webauthn.verifyAssertion(tx, user.id, proof.webauthn, proof.expectedChallenge ?? null, now);
      return 'webauthn';
    }
    const code = proof.code.trim().toLowerCase();
    if (user.totpSecretSealed !== null && /^\d{6}$/.test(code)) {
      const step = totpStepOf(this.box.open(TOTP_SEAL_PURPOSE, totpSealContext(user), user.totpSecretSealed), code, now);
      if (step !== null && (await this.users.acceptTotpStep(tx, user.id, step))) return 'totp';
    } else if (RECOVERY_CODE_PATTERN.test(code) && (await this.users.consumeRecoveryCode(tx, user.id, this.recoveryCodeHash(code)))) {
      return 'recovery_code';
    }
    throw new DomainError(ErrorCode.INVALID_MFA, 'The code is wrong or was used already.');
  }

  recoveryCodeHash(code: string): string {
    return this.hasher.derive('recovery-code', code.trim().toLowerCase());
  }
}
