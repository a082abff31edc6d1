import { ErrorCode, ROLES, ROLE_SCOPES, type Role } from '@custos/contracts';
import { DomainError } from '../errors/domain-error';
import { assertCanAssignRole, type RoleGrantor } from './role-assignment';

function outcome(grantor: RoleGrantor, role: Role): ErrorCode | 'ok' {
  try {
    assertCanAssignRole(grantor, role);
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

const person = (role: Role): RoleGrantor => ({ role, scopes: ROLE_SCOPES[role] });

describe('assertCanAssignRole', () => {
  it('lets an owner assign every role', () => {
    for (const role of ROLES) expect(outcome(person('owner'), role)).toBe('ok');
  });

  it('lets an admin assign every role but owner', () => {
    expect(ROLES.map((role) => [role, outcome(person('admin'), role)])).toEqual([
      ['owner', ErrorCode.FORBIDDEN],
      ['admin', 'ok'],
      ['operator', 'ok'],
      ['auditor', 'ok'],
      ['viewer', 'ok'],
    ]);
  });

  it('refuses a service key holding only custos:users:write any role with more than it holds', () => {
    const key: RoleGrantor = { role: null, scopes: ['custos:users:write'] };
    for (const role of ROLES) expect(outcome(key, role)).not.toBe('ok');
    expect(outcome(key, 'admin')).toBe(ErrorCode.SCOPE_ESCALATION);
  });

  it('lets a service key assign a role whose every scope it holds, never owner', () => {
    const key: RoleGrantor = { role: null, scopes: [...ROLE_SCOPES.auditor, 'custos:users:write'] };
    expect(outcome(key, 'auditor')).toBe('ok');
    expect(outcome(key, 'viewer')).toBe('ok');
    expect(outcome(key, 'operator')).toBe(ErrorCode.SCOPE_ESCALATION);
    expect(outcome({ role: null, scopes: ROLE_SCOPES.owner }, 'owner')).toBe(ErrorCode.FORBIDDEN);
  });
});
