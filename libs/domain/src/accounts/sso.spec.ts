import { ssoRoleOf, tenantSlugOf, claimValues } from './sso';

describe('ssoRoleOf', () => {
  const rule = { roleClaim: 'groups', roleMapping: { 'custos-admins': 'admin', 'custos-ops': 'operator', auditors: 'auditor' } as const, defaultRole: 'viewer' as const };

  it('maps a claim value to its role', () => {
    expect(ssoRoleOf({ groups: 'custos-ops' }, rule)).toBe('operator');
  });

  it('takes the strongest of several mapped values, whatever their order', () => {
    expect(ssoRoleOf({ groups: ['auditors', 'staff', 'custos-admins'] }, rule)).toBe('admin');
  });

  it('gives the default role when nothing maps, the claim is missing or not a string', () => {
    expect(ssoRoleOf({ groups: ['staff'] }, rule)).toBe('viewer');
    expect(ssoRoleOf({}, rule)).toBe('viewer');
    expect(ssoRoleOf({ groups: { admin: true } }, rule)).toBe('viewer');
  });

  it('never reads inherited properties of the mapping as roles', () => {
    expect(ssoRoleOf({ groups: ['constructor', 'toString', '__proto__'] }, rule)).toBe('viewer');
  });

  it('gives everyone the default role without a role claim', () => {
    expect(ssoRoleOf({ groups: 'custos-admins' }, { ...rule, roleClaim: null })).toBe('viewer');
  });
});

describe('claimValues', () => {
  it('keeps strings only', () => {
    expect(claimValues(['a', 1, null, 'b'])).toEqual(['a', 'b']);
    expect(claimValues(42)).toEqual([]);
  });
});

describe('tenantSlugOf', () => {
  it.each([
    ['Acme Corp', 'acme-corp'],
    ['  Ünïcode & Co. ', 'unicode-co'],
    ['!!!', 'org'],
    ['a'.repeat(60), 'a'.repeat(40)],
    ['x'.repeat(39) + ' y', 'x'.repeat(39)],
  ])('%s → %s', (name, slug) => {
    expect(tenantSlugOf(name)).toBe(slug);
  });
});
