import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@custos/contracts';
import { DomainError, newId } from '@custos/domain';
import { sha256Hex } from '@custos/crypto';
import {
  Database,
  LoginChallengeRepository,
  PasskeyRepository,
  SessionRepository,
  UserRepository,
  type Passkey,
  type Tx,
} from '@custos/persistence';
import { MFA_TOKEN_PREFIX } from '../accounts/auth.service';
import { SecondFactor } from '../accounts/second-factor';
import { AuditLog } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { assertSteppedUp } from '../auth/step-up';
import {
  WEBAUTHN_TIMEOUT_MS,
  WebauthnCeremonies,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from './webauthn-ceremonies';

/** A passkey as its person sees it in their list: never its key or credential id. */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface StepUpView {
  mfaAt: string;
  stepUpUntil: string;
}

export const toPasskeyView = (p: Passkey): PasskeyView => ({
  id: p.id,
  name: p.name,
  createdAt: p.createdAt.toISOString(),
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
});

type Failed = { failed: DomainError };

const UNIQUE_VIOLATION = '23505';

/** A person signed in to the dashboard with a session: the only one who has passkeys. */
function sessionOf(principal: Principal): { userId: string; sessionId: string } {
  if (principal.kind !== 'user' || !principal.sessionId) {
    throw DomainError.forbidden('Passkeys belong to people signed in to the dashboard, not to service keys.');
  }
  return { userId: principal.id, sessionId: principal.sessionId };
}

/**
 * Passkeys (WebAuthn) as a second factor: a person registers, names, lists and removes theirs, and
 * answers a log-in's second factor or a step-up with one. Registration and step-up challenges wait on
 * the session that asked for them (one at a time, two minutes, used once); a log-in's waits on its
 * login challenge. Adding or removing a factor while one is enrolled needs a fresh step-up.
 */
@Injectable()
export class PasskeysService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly ceremonies: WebauthnCeremonies,
    private readonly secondFactor: SecondFactor,
    @Inject(PasskeyRepository)
    private readonly passkeys: Pick<PasskeyRepository, 'insert' | 'listOfUser' | 'rename' | 'delete' | 'setSessionChallenge' | 'takeSessionChallenge'>,
    @Inject(UserRepository) private readonly users: Pick<UserRepository, 'findById'>,
    @Inject(SessionRepository) private readonly sessions: Pick<SessionRepository, 'lift' | 'steppedUp'>,
    @Inject(LoginChallengeRepository) private readonly challenges: Pick<LoginChallengeRepository, 'tenantOf' | 'lock' | 'setWebauthnChallenge'>,
  ) {}

  /** Options for navigator.credentials.create(); the session waits for the answer to their challenge. */
  async registrationOptions(principal: Principal): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { userId, sessionId } = sessionOf(principal);
    assertSteppedUp(principal);
    return this.db.tenant(principal.tenantId, async (tx) => {
      const user = await this.users.findById(tx, userId);
      if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The session has ended.');
      const options = await this.ceremonies.registrationOptions(user, await this.passkeys.listOfUser(tx, userId));
      await this.passkeys.setSessionChallenge(tx, sessionId, 'registration', options.challenge, new Date(Date.now() + WEBAUTHN_TIMEOUT_MS));
      return options;
    });
  }

  /**
   * Stores the new passkey the browser created for the session's registration challenge. The challenge
   * is used up either way. It counts as MFA from now on: a session owed enrolment is free again.
   */
  async register(principal: Principal, input: { name: string; response: RegistrationResponseJSON }, meta: RequestMeta): Promise<PasskeyView> {
    const { userId, sessionId } = sessionOf(principal);
    assertSteppedUp(principal);
    let outcome: PasskeyView | Failed;
    try {
      outcome = await this.db.tenant(principal.tenantId, async (tx): Promise<PasskeyView | Failed> => {
        const challenge = await this.passkeys.takeSessionChallenge(tx, sessionId, 'registration');
        const verified = challenge ? await this.ceremonies.verifyRegistration(input.response, challenge) : null;
        if (!verified) {
          return {
            failed: DomainError.validation(
              [{ field: 'response', message: 'is not a passkey created for the registration this session started (or it took longer than two minutes)' }],
              'The passkey could not be registered: start again.',
            ),
          };
        }
        const now = new Date();
        const passkey = await this.passkeys.insert(tx, { id: newId('pky'), userId, name: input.name.trim(), ...verified });
        await this.sessions.lift(tx, userId, 'mfa_enrolment');
        // The person just used the authenticator on this session: that is an MFA check.
        await this.sessions.steppedUp(tx, sessionId, now);
        await this.audit.record(tx, meta, {
          action: 'mfa.enabled',
          actor: { type: 'user', id: userId },
          target: { type: 'user', id: userId },
          data: { method: 'webauthn', name: passkey.name, passkeyId: passkey.id },
        });
        return toPasskeyView(passkey);
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new DomainError(ErrorCode.CONFLICT, 'This passkey is registered already.');
      throw error;
    }
    if ('failed' in outcome) throw outcome.failed;
    return outcome;
  }

  async list(principal: Principal): Promise<PasskeyView[]> {
    const { userId } = sessionOf(principal);
    return this.db.tenant(principal.tenantId, async (tx) => (await this.passkeys.listOfUser(tx, userId)).map(toPasskeyView));
  }

  async rename(principal: Principal, id: string, name: string, meta: RequestMeta): Promise<PasskeyView> {
    const { userId } = sessionOf(principal);
    return this.db.tenant(principal.tenantId, async (tx) => {
      const passkey = await this.passkeys.rename(tx, userId, id, name.trim());
      if (!passkey) throw DomainError.notFound('passkey');
      await this.audit.record(tx, meta, {
        action: 'mfa.passkey_renamed',
        actor: { type: 'user', id: userId },
        target: { type: 'user', id: userId },
        data: { passkeyId: passkey.id, name: passkey.name },
      });
      return toPasskeyView(passkey);
    });
  }

  /** Removing a second factor is sensitive: it needs a fresh step-up. */
  async remove(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    const { userId } = sessionOf(principal);
    assertSteppedUp(principal);
    await this.db.tenant(principal.tenantId, async (tx) => {
      const passkey = (await this.passkeys.listOfUser(tx, userId)).find((p) => p.id === id);
      if (!passkey || !(await this.passkeys.delete(tx, userId, id))) throw DomainError.notFound('passkey');
      await this.audit.record(tx, meta, {
        action: 'mfa.disabled',
        actor: { type: 'user', id: userId },
        target: { type: 'user', id: userId },
        data: { method: 'webauthn', name: passkey.name, passkeyId: passkey.id },
      });
    });
  }

  /** Options for a log-in's second factor by passkey: the log-in's challenge is stored on its login challenge. */
  async loginOptions(mfaToken: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const expired = (): DomainError => new DomainError(ErrorCode.INVALID_MFA, 'The log-in has expired or is unknown: log in again.');
    const tokenHash = sha256Hex(mfaToken);
    const tenantId = mfaToken.startsWith(MFA_TOKEN_PREFIX) ? await this.db.system((tx) => this.challenges.tenantOf(tx, tokenHash)) : null;
    if (!tenantId) throw expired();
    return this.db.tenant(tenantId, async (tx) => {
      const challenge = await this.challenges.lock(tx, tokenHash);
      if (!challenge) throw expired();
      const passkeys = await this.passkeys.listOfUser(tx, challenge.userId);
      if (passkeys.length === 0) throw new DomainError(ErrorCode.INVALID_MFA, 'This account has no passkey: use a code.');
      const options = await this.ceremonies.authenticationOptions(passkeys);
      await this.challenges.setWebauthnChallenge(tx, challenge.id, options.challenge);
      return options;
    });
  }

  /** Options for a step-up by passkey; the session waits for the answer. */
  async stepUpOptions(principal: Principal): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const { userId, sessionId } = sessionOf(principal);
    return this.db.tenant(principal.tenantId, async (tx) => {
      const passkeys = await this.passkeys.listOfUser(tx, userId);
      if (passkeys.length === 0) throw new DomainError(ErrorCode.CONFLICT, 'You have no passkey: step up with a code.');
      const options = await this.ceremonies.authenticationOptions(passkeys);
      await this.passkeys.setSessionChallenge(tx, sessionId, 'step_up', options.challenge, new Date(Date.now() + WEBAUTHN_TIMEOUT_MS));
      return options;
    });
  }

  /** Renews the session's MFA check with a passkey's assertion of the step-up challenge. A wrong one is audited and refused. */
  async stepUp(principal: Principal, response: AuthenticationResponseJSON, meta: RequestMeta): Promise<StepUpView> {
    const { userId, sessionId } = sessionOf(principal);
    const outcome = await this.db.tenant(principal.tenantId, async (tx: Tx): Promise<StepUpView | Failed> => {
      const user = await this.users.findById(tx, userId);
      if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The session has ended.');
      const expectedChallenge = await this.passkeys.takeSessionChallenge(tx, sessionId, 'step_up');
      const actor = { type: 'user' as const, id: userId };
      const target = { type: 'user', id: userId };
      try {
        await this.secondFactor.check(tx, user, { webauthn: response, expectedChallenge });
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== ErrorCode.INVALID_MFA) throw error;
        await this.audit.record(tx, meta, { action: 'auth.mfa_failed', actor, target, data: { stage: 'step_up', method: 'webauthn' } });
        return { failed: error };
      }
      const now = new Date();
      await this.sessions.steppedUp(tx, sessionId, now);
      await this.audit.record(tx, meta, { action: 'auth.step_up', actor, target, data: { method: 'webauthn' } });
      const seconds = principal.session?.policy.stepUpSeconds ?? 0;
      return { mfaAt: now.toISOString(), stepUpUntil: new Date(now.getTime() + seconds * 1000).toISOString() };
    });
    if ('failed' in outcome) throw outcome.failed;
    return outcome;
  }
}
