import { ALERT_RULE_DEFAULTS, alertRuleOverridesOf, alertRulesOf, mergeAlertRules } from './alert-rules';
import { remediationFor } from './remediation';

describe('alert rules in a policy', () => {
  it('lays what the tenant changed over the defaults, and keeps only what differs', () => {
    const rules = alertRulesOf({ many_networks: { threshold: 3, remediation: 'suspend' }, unknown_rule: { enabled: false } });
    expect(rules.many_networks).toEqual({ enabled: true, threshold: 3, windowSeconds: 3600, severity: 'high', remediation: 'suspend' });
    expect(rules.dead_token_used).toEqual(ALERT_RULE_DEFAULTS.dead_token_used);
    expect(alertRuleOverridesOf(rules)).toEqual({ many_networks: { threshold: 3, remediation: 'suspend' } });
  });

  it('merges a PUT rule by rule and field by field: what it leaves out keeps its setting', () => {
    const current = alertRulesOf({ usage_spike: { threshold: 20 } });
    const { rules, problems } = mergeAlertRules(current, { usage_spike: { severity: 'high' }, brute_force: { enabled: false } });
    expect(problems).toEqual([]);
    expect(rules.usage_spike).toMatchObject({ threshold: 20, severity: 'high', enabled: true });
    expect(rules.brute_force.enabled).toBe(false);
    expect(rules.many_networks).toEqual(current.many_networks);
  });

  it('refuses a parameter the rule does not take, values out of bounds, and softening what a leak report does', () => {
    const { problems } = mergeAlertRules(alertRulesOf({}), {
      dead_token_used: { threshold: 2 },
      many_networks: { windowSeconds: 2 * 86_400 },
      usage_spike: { threshold: 0 },
      leaked: { remediation: 'suspend' },
    });
    expect(problems.map((p) => p.field)).toEqual([
      'alerts.rules.dead_token_used.threshold',
      'alerts.rules.many_networks.windowSeconds',
      'alerts.rules.usage_spike.threshold',
      'alerts.rules.leaked',
    ]);
    expect(mergeAlertRules(alertRulesOf({}), { new_country: { windowSeconds: 60 * 86_400 }, leaked: { severity: 'high' } }).problems).toEqual([]);
  });
});

describe('remediation', () => {
  const key = (scopes: string[], status: 'active' | 'rotating' | 'suspended' | 'revoked' = 'active') => ({ status, scopes });

  it('does what the rule says to a live token', () => {
    expect(remediationFor('suspend', key(['orders:read']), false)).toEqual({ action: 'suspend' });
    expect(remediationFor('revoke', key(['orders:read'], 'suspended'), false)).toEqual({ action: 'revoke' });
    expect(remediationFor('none', key(['orders:read']), false)).toEqual({ action: 'none' });
  });

  it('skips a token it cannot change (a rotating token is not suspended; a revoked one stays so)', () => {
    expect(remediationFor('suspend', key(['orders:read'], 'rotating'), false)).toEqual({ action: 'none', skipped: 'token_status' });
    expect(remediationFor('revoke', key(['orders:read'], 'revoked'), false)).toEqual({ action: 'none', skipped: 'token_status' });
  });

  it('leaves service keys that administer the tenant alone unless the policy allows it', () => {
    for (const scope of ['custos:policy:write', 'custos:users:write']) {
      expect(remediationFor('revoke', key([scope]), false)).toEqual({ action: 'none', skipped: 'owner_service_key' });
      expect(remediationFor('revoke', key([scope]), true)).toEqual({ action: 'revoke' });
    }
    expect(remediationFor('revoke', key(['custos:tokens:verify']), false)).toEqual({ action: 'revoke' });
  });
});
