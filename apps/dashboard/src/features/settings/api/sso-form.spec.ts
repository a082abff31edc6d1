import { describe, expect, it } from '@jest/globals';
import { ssoValuesOf, toSsoRequest, validateSso } from './sso-form';
import type { SsoConfig } from './sso.queries';

const CONFIG: SsoConfig = {
  issuer: 'https://login.example.com',
  clientId: 'custos',
  clientSecretSet: true,
  roleClaim: 'groups',
  roleMapping: { 'custos-admins': 'admin' },
  defaultRole: 'viewer',
  enforce: false,
  breakGlassUserId: null,
  updatedAt: '2026-12-01T10:00:00.000Z',
  updatedBy: 'usr_1',
  lastTest: null,
};

describe('the SSO form', () => {
  it('turns the mapping into rows and back, and leaves an unchanged secret out', () => {
    const values = ssoValuesOf(CONFIG);
    expect(values.mapping).toEqual([{ value: 'custos-admins', role: 'admin' }]);
    expect(values.clientSecret).toBe('');
    expect(toSsoRequest({ ...values, mapping: [...values.mapping, { value: ' ops ', role: 'operator' }] })).toEqual({
      issuer: 'https://login.example.com',
      clientId: 'custos',
      roleClaim: 'groups',
      roleMapping: { 'custos-admins': 'admin', ops: 'operator' },
      defaultRole: 'viewer',
      enforce: false,
    });
  });

  it('sends a new secret, and no role claim when it is empty', () => {
    const body = toSsoRequest({ ...ssoValuesOf(CONFIG), clientSecret: 's3cret', roleClaim: ' ', mapping: [] });
    expect(body).toMatchObject({ clientSecret: 's3cret', roleClaim: null, roleMapping: {} });
  });

  it('asks for a secret only when none is saved, and for a role claim when values are mapped', () => {
    const empty = ssoValuesOf(null);
    expect(validateSso(empty, false)).toEqual({
      issuer: expect.any(String),
      clientId: expect.any(String),
      clientSecret: expect.any(String),
    });
    expect(validateSso(ssoValuesOf(CONFIG), true)).toEqual({});
    expect(validateSso({ ...ssoValuesOf(CONFIG), roleClaim: '', mapping: [{ value: 'a', role: 'admin' }, { value: 'a', role: 'viewer' }] }, true)).toEqual({
      roleClaim: expect.any(String),
      'mapping.1.value': 'This value is mapped already',
    });
  });
});
