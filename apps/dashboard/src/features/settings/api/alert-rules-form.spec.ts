import { describe, expect, it } from '@jest/globals';
import { policyFixture } from '../../../test/policy-fixtures';
import { alertFormPaths, alertValuesOf, toAlertPolicyRequest, validateAlertPolicy, type AlertPolicyValues } from './alert-rules-form';

const ALERTS = policyFixture().alerts;

/** The values with one rule changed. */
function withRule(values: AlertPolicyValues, rule: keyof AlertPolicyValues['rules'], change: Partial<AlertPolicyValues['rules'][typeof rule]>): AlertPolicyValues {
  return { ...values, rules: { ...values.rules, [rule]: { ...values.rules[rule], ...change } } };
}

describe('alertValuesOf and toAlertPolicyRequest', () => {
  it('give back the rules as PUT takes them: a threshold and a window only for the rules that have them', () => {
    const body = toAlertPolicyRequest(alertValuesOf(ALERTS));
    expect(body).toEqual(ALERTS);
    expect(Object.keys(body.rules?.dead_token_used ?? {}).sort()).toEqual(['enabled', 'remediation', 'severity']);
    expect(Object.keys(body.rules?.new_country ?? {}).sort()).toEqual(['enabled', 'remediation', 'severity', 'windowSeconds']);
  });

  it('send what was edited, numbers as numbers', () => {
    let values = withRule(alertValuesOf(ALERTS), 'many_networks', { threshold: 3, remediation: 'suspend' });
    values = withRule(values, 'plaintext_transport', { enabled: false, severity: 'low' });
    values = { ...values, ackWithinMinutes: 15, remediateOwnerServiceKeys: true };
    const body = toAlertPolicyRequest(values);
    expect(body.rules?.many_networks).toEqual({ enabled: true, threshold: 3, windowSeconds: 3600, severity: 'high', remediation: 'suspend' });
    expect(body.rules?.plaintext_transport).toEqual({ enabled: false, severity: 'low', remediation: 'none' });
    expect(body).toMatchObject({ ackWithinMinutes: 15, remediateOwnerServiceKeys: true });
  });

  it('leave the policy it was made from alone', () => {
    const values = alertValuesOf(ALERTS);
    values.rules.many_networks.threshold = 99;
    expect(ALERTS.rules.many_networks.threshold).toBe(10);
  });
});

describe('validateAlertPolicy', () => {
  const values = alertValuesOf(ALERTS);

  it('accepts the rules as they are, and the bounds themselves', () => {
    expect(validateAlertPolicy(values)).toEqual({});
    let edges = withRule(values, 'many_networks', { threshold: 1, windowSeconds: 86_400 });
    edges = withRule(edges, 'brute_force', { threshold: 1_000_000, windowSeconds: 10 });
    edges = withRule(edges, 'new_country', { windowSeconds: 7_776_000 });
    expect(validateAlertPolicy({ ...edges, ackWithinMinutes: 10_080 })).toEqual({});
  });

  it('mirrors the API, each message on the path the API would name', () => {
    let bad = withRule(values, 'many_networks', { threshold: 0, windowSeconds: 86_401 });
    bad = withRule(bad, 'usage_spike', { threshold: '', windowSeconds: 9 });
    bad = withRule(bad, 'brute_force', { threshold: 1_000_001, windowSeconds: 2.5 });
    bad = withRule(bad, 'new_country', { windowSeconds: 7_776_001 });
    bad = withRule(bad, 'leaked', { remediation: 'suspend' });
    expect(validateAlertPolicy({ ...bad, ackWithinMinutes: 0 })).toEqual({
      'alerts.rules.many_networks.threshold': 'A whole number from 1 to 1,000,000',
      'alerts.rules.many_networks.windowSeconds': 'A whole number of seconds from 10 to 86,400',
      'alerts.rules.usage_spike.threshold': 'A whole number from 1 to 1,000,000',
      'alerts.rules.usage_spike.windowSeconds': 'A whole number of seconds from 10 to 86,400',
      'alerts.rules.brute_force.threshold': 'A whole number from 1 to 1,000,000',
      'alerts.rules.brute_force.windowSeconds': 'A whole number of seconds from 10 to 86,400',
      'alerts.rules.new_country.windowSeconds': 'A whole number of seconds from 10 to 7,776,000',
      'alerts.rules.leaked': 'A leak report always revokes the token and raises its alert; only its severity can change',
      'alerts.ackWithinMinutes': 'A whole number of minutes from 1 to 10,080',
    });
    expect(validateAlertPolicy(withRule(values, 'leaked', { enabled: false }))).toEqual({
      'alerts.rules.leaked': 'A leak report always revokes the token and raises its alert; only its severity can change',
    });
  });
});

describe('alertFormPaths', () => {
  it('name each rule and each of its fields, for the API errors to land on', () => {
    expect(alertFormPaths()).toEqual(
      expect.arrayContaining(['alerts.rules', 'alerts.ackWithinMinutes', 'alerts.rules.leaked', 'alerts.rules.many_networks.threshold', 'alerts.rules.new_country.windowSeconds']),
    );
  });
});
