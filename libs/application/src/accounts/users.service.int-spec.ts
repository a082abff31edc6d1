import { ErrorCode, ROLE_SCOPES, type Role } from '@custos/contracts';
import { PasswordHasher } from '@custos/crypto';
import { DomainError } from '@custos/domain';
import { auditTrailOf, createTenant, createUser, passwordChangeRequired, serviceKeyPrincipal, uniqueId, useMediumDatabase, type FixtureUser } from '@custos/fixtures';
import { UserRepository, StewardRepository } from '@custos/persistence';
import { auditOn } from '../testing/audit-on';
import { UsersService } from './users.service';

async function codeOf(work: Promise<unknown>): Promise<ErrorCode> {
  const error = await work.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error.code;
}

/** Nobody hands out more than they hold; only an owner touches an owner; tenants never see each other's people. */
describe('UsersService (medium)', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  // Seals run after commit: they finish before the file's pool closes.
  afterEach(() => sealer.drain());
  const users = new UsersService(db, audit, new PasswordHasher(), new UserRepository(), new StewardRepository());
  const meta = { requestId: 'req_users', ip: null };
  const person = (role: Role) => ({ email: `${uniqueId('person')}@example.test`, password: 'a long enough password', role });
  const roleOf = async (tenantId: string, userId: string) => {
    const reader = serviceKeyPrincipal(tenantId, ['custos:users:read']);
    return (await users.list(reader)).find((u) => u.id === userId)?.role;
  };

  let tenantId: string;
  let owner: FixtureUser;
  let admin: FixtureUser;
  beforeEach(async () => {
    tenantId = await createTenant(db);
    owner = await createUser(db, tenantId, 'owner');
    admin = await createUser(db, tenantId, 'admin');
  });

  it('refuses a service key a role holding scopes the key lacks, and stores nothing', async () => {
    const key = serviceKeyPrincipal(tenantId, ['custos:users:write', 'custos:users:read']);
    const wanted = person('admin');

    expect(await codeOf(users.create(key, wanted, meta))).toBe(ErrorCode.SCOPE_ESCALATION);
    expect(await codeOf(users.create(key, person('viewer'), meta))).toBe(ErrorCode.SCOPE_ESCALATION);
    expect((await users.list(key)).map((u) => u.email)).not.toContain(wanted.email);

    const wider = serviceKeyPrincipal(tenantId, ['custos:users:write', 'custos:users:read', ...ROLE_SCOPES.viewer]);
    const viewer = await users.create(wider, person('viewer'), meta);
    expect(viewer.role).toBe('viewer');
  });

  it('promotes only to a role whose scopes the caller holds, and changes nobody holding more', async () => {
    const key = serviceKeyPrincipal(tenantId, ['custos:users:write', ...ROLE_SCOPES.operator]);
    const viewer = await createUser(db, tenantId, 'viewer');

    expect((await users.changeRole(key, viewer.id, 'operator', meta)).role).toBe('operator');
    expect(await codeOf(users.changeRole(key, viewer.id, 'admin', meta))).toBe(ErrorCode.SCOPE_ESCALATION);
    expect(await codeOf(users.changeRole(key, admin.id, 'viewer', meta))).toBe(ErrorCode.SCOPE_ESCALATION);
    expect(await codeOf(users.remove(key, admin.id, meta))).toBe(ErrorCode.SCOPE_ESCALATION);
    expect(await roleOf(tenantId, viewer.id)).toBe('operator');
    expect(await roleOf(tenantId, admin.id)).toBe('admin');
  });

  it('lets only an owner grant, change or remove the owner role', async () => {
    expect(await codeOf(users.create(admin.principal, person('owner'), meta))).toBe(ErrorCode.FORBIDDEN);
    expect(await codeOf(users.changeRole(admin.principal, admin.id, 'owner', meta))).toBe(ErrorCode.FORBIDDEN);
    expect(await codeOf(users.changeRole(admin.principal, owner.id, 'viewer', meta))).toBe(ErrorCode.FORBIDDEN);
    expect(await codeOf(users.remove(admin.principal, owner.id, meta))).toBe(ErrorCode.FORBIDDEN);
    const everything = serviceKeyPrincipal(tenantId, ['custos:users:write', ...ROLE_SCOPES.owner]);
    expect(await codeOf(users.changeRole(everything, admin.id, 'owner', meta))).toBe(ErrorCode.FORBIDDEN);

    const promoted = await users.changeRole(owner.principal, admin.id, 'owner', meta);

    expect(promoted.role).toBe('owner');
    const changes = (await auditTrailOf(db, tenantId)).filter((e) => e.action === 'user.role_changed');
    expect(changes.map((e) => [e.actor_type, e.actor_id, e.target_id, e.data])).toEqual([['user', owner.id, admin.id, { from: 'admin', to: 'owner' }]]);
  });

  it('keeps the last owner', async () => {
    expect(await codeOf(users.changeRole(owner.principal, owner.id, 'admin', meta))).toBe(ErrorCode.CONFLICT);
    expect(await codeOf(users.remove(owner.principal, owner.id, meta))).toBe(ErrorCode.CONFLICT);
    expect(await roleOf(tenantId, owner.id)).toBe('owner');
  });

  it("neither lists, changes nor removes another tenant's people", async () => {
    const otherTenant = await createTenant(db);
    const stranger = await createUser(db, otherTenant, 'viewer');

    expect((await users.list(owner.principal)).map((u) => u.id).sort()).toEqual([admin.id, owner.id].sort());
    expect(await codeOf(users.changeRole(owner.principal, stranger.id, 'admin', meta))).toBe(ErrorCode.NOT_FOUND);
    expect(await codeOf(users.remove(owner.principal, stranger.id, meta))).toBe(ErrorCode.NOT_FOUND);
    expect(await roleOf(otherTenant, stranger.id)).toBe('viewer');
  });

  it('creates a person with its audit event, and refuses an e-mail already registered in any tenant', async () => {
    const created = await users.create(owner.principal, person('auditor'), meta);
    const elsewhere = await createUser(db, await createTenant(db), 'viewer');

    expect(await codeOf(users.create(owner.principal, { ...person('viewer'), email: elsewhere.email.toUpperCase() }, meta))).toBe(ErrorCode.EMAIL_TAKEN);
    const events = (await auditTrailOf(db, tenantId)).filter((e) => e.action === 'user.created');
    // Someone else chose the password: the person must change it at their first log-in.
    expect(events.map((e) => [e.target_id, e.data])).toEqual([[created.id, { email: created.email, role: 'auditor', passwordChangeRequired: true }]]);
    expect(await passwordChangeRequired(created.id)).toBe(true);
  });
});
