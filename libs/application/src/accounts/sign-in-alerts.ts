import { Inject, Injectable } from '@nestjs/common';
import { alertRulesOf, newId } from '@custos/domain';
import { PolicyRepository, UserRepository, type Tx, type UserEntity } from '@custos/persistence';
import { AlertRaiser } from '../alerts/alert-raiser';
import type { RequestMeta } from '../auth/principal';

/**
 * Watches where people sign in from: a sign-in from a country the person never signed in from before
 * raises a new_country_sign_in alert (docs/alerts.md) in the sign-in's transaction. The first country
 * of a person is their baseline, not news. An address is never kept: the session's network and country
 * are the evidence.
 */
@Injectable()
export class SignInAlerts {
  constructor(
    private readonly raiser: AlertRaiser,
    @Inject(UserRepository) private readonly users: Pick<UserRepository, 'noteSignInCountry'>,
    @Inject(PolicyRepository) private readonly policies: Pick<PolicyRepository, 'get'>,
  ) {}

  async signedIn(tx: Tx, user: UserEntity, country: string | null, meta: RequestMeta): Promise<void> {
    if (!country || !(await this.users.noteSignInCountry(tx, user.id, country))) return;
    const settings = alertRulesOf((await this.policies.get(tx)).alertRules).new_country_sign_in;
    if (!settings.enabled) return;
    const now = new Date();
    await this.raiser.raise(
      tx,
      {
        id: newId('alr'),
        rule: 'new_country_sign_in',
        severity: settings.severity,
        subject: `user:${user.id}:${country}`,
        tokenId: null,
        serviceId: null,
        firstSeenAt: now,
        lastSeenAt: now,
        count: 1,
        evidence: [],
        details: { userId: user.id, email: user.email, country },
      },
      { settings, remediateOwnerServiceKeys: false, actor: { type: 'user', id: user.id }, meta },
    );
  }
}
