import { Inject, Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { PasskeyRepository, type Passkey, type PasskeyDeviceType, type Tx } from '@custos/persistence';

export type { AuthenticationResponseJSON, RegistrationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON };

/** The relying party Custos is to authenticators: its domain (rpID), its name, and the origins its pages are served from. */
export interface WebauthnSettings {
  rpId: string;
  rpName: string;
  origins: string[];
}

export const WEBAUTHN_SETTINGS = Symbol('WEBAUTHN_SETTINGS');

/** How long a person has to touch their authenticator. */
export const WEBAUTHN_TIMEOUT_MS = 2 * 60_000;

/** A verified registration, ready to be stored. */
export interface VerifiedPasskey {
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: PasskeyDeviceType;
  backedUp: boolean;
}

const TRANSPORTS: readonly string[] = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];
const transportsOf = (stored: readonly string[]): AuthenticatorTransportFuture[] =>
  stored.filter((t): t is AuthenticatorTransportFuture => TRANSPORTS.includes(t));

const invalidAssertion = (): DomainError => new DomainError(ErrorCode.INVALID_MFA, 'The passkey was not accepted.');

/**
 * The WebAuthn ceremonies (@simplewebauthn/server): options for the browser, and the checks of its
 * answers against the challenge the server stored, this relying party's id and origins. Attestation
 * is not asked for (`none`): a passkey is a second factor of its person, not a device Custos vouches for.
 */
@Injectable()
export class WebauthnCeremonies {
  constructor(
    @Inject(WEBAUTHN_SETTINGS) private readonly settings: WebauthnSettings,
    @Inject(PasskeyRepository) private readonly passkeys: Pick<PasskeyRepository, 'lockByCredentialId' | 'used'>,
  ) {}

  registrationOptions(user: { id: string; email: string }, existing: readonly Passkey[]): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return generateRegistrationOptions({
      rpName: this.settings.rpName,
      rpID: this.settings.rpId,
      userName: user.email,
      userDisplayName: user.email,
      userID: new TextEncoder().encode(user.id),
      timeout: WEBAUTHN_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
  }

  /** Checks a new credential against the challenge the session was given; null when it does not hold. */
  async verifyRegistration(response: RegistrationResponseJSON, expectedChallenge: string): Promise<VerifiedPasskey | null> {
    try {
      const result = await verifyRegistrationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.settings.origins,
        expectedRPID: this.settings.rpId,
        requireUserVerification: false,
      });
      if (!result.verified) return null;
      const info = result.registrationInfo;
      return {
        credentialId: info.credential.id,
        publicKey: info.credential.publicKey,
        counter: info.credential.counter,
        transports: transportsOf(response.response.transports ?? []),
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
      };
    } catch {
      // Malformed attestation, wrong origin, RP or challenge: all the same to the caller.
      return null;
    }
  }

  authenticationOptions(passkeys: readonly Passkey[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return generateAuthenticationOptions({
      rpID: this.settings.rpId,
      timeout: WEBAUTHN_TIMEOUT_MS,
      userVerification: 'preferred',
      allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
    });
  }

  /**
   * Checks an assertion of one of the person's passkeys against the challenge they were given, and moves
   * the passkey's counter and last use; a counter that did not grow (a cloned authenticator) is refused.
   * Anything wrong is INVALID_MFA.
   */
  async verifyAssertion(tx: Tx, userId: string, response: AuthenticationResponseJSON, expectedChallenge: string | null, now = new Date()): Promise<Passkey> {
    if (!expectedChallenge || typeof response?.id !== 'string') throw invalidAssertion();
    const passkey = await this.passkeys.lockByCredentialId(tx, userId, response.id);
    if (!passkey) throw invalidAssertion();
    let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.settings.origins,
        expectedRPID: this.settings.rpId,
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: transportsOf(passkey.transports) },
        requireUserVerification: false,
      });
    } catch {
      throw invalidAssertion();
    }
    if (!verified.verified) throw invalidAssertion();
    const { newCounter, credentialBackedUp } = verified.authenticationInfo;
    await this.passkeys.used(tx, passkey.id, newCounter, credentialBackedUp, now);
    return { ...passkey, counter: newCounter, backedUp: credentialBackedUp, lastUsedAt: now };
  }
}

