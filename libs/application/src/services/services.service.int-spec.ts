import { ErrorCode, ROLE_SCOPES } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { auditTrailOf, createTenant, serviceKeyPrincipal, userPrincipal, useMediumDatabase } from '@custos/fixtures';
import { ServiceRepository, StewardRepository } from '@custos/persistence';
import { auditOn } from '../testing/audit-on';
import { Stewards } from '../stewards/stewards';
import { ServicesService } from './services.service';

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error;
}

/** A tenant's services on the real database: names unique per tenant, scopes checked, other tenants' unseen. */
describe('ServicesService (medium)', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  const services = new ServicesService(db, audit, new ServiceRepository(), new Stewards(new StewardRepository()));
  // Seals run after commit: they finish before the file's pool closes.
  afterEach(() => sealer.drain());
  const meta = { requestId: 'req_services', ip: null };

  let tenantId: string;
  beforeEach(async () => {
    tenantId = await createTenant(db);
  });

  it('creates a service with its scopes normalised and its audit event, and lists it', async () => {
    const admin = userPrincipal(tenantId, 'admin');

    const created = await services.create(admin, { name: '  Orders  ', allowedScopes: ['orders:write', 'orders:read', 'orders:read'] }, meta);

    expect(created).toMatchObject({ name: 'Orders', allowedScopes: ['orders:read', 'orders:write'], publicJwk: null, description: null });
    expect(await services.list(admin)).toEqual([created]);
    expect(await services.get(admin, created.id)).toEqual(created);
    const events = await auditTrailOf(db, tenantId);
    expect(events.map((e) => [e.action, e.actor_id, e.target_id, e.data])).toEqual([
      ['service.created', admin.id, created.id, { name: 'Orders', allowedScopes: ['orders:read', 'orders:write'], hasPublicJwk: false }],
    ]);
  });

  it('keeps names unique per tenant, whatever their case, and free across tenants', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const first = await services.create(admin, { name: 'Billing' }, meta);
    const second = await services.create(admin, { name: 'Reports' }, meta);

    const taken = await refusal(services.create(admin, { name: 'BILLING' }, meta));
    expect(taken.code).toBe(ErrorCode.CONFLICT);
    expect(taken.fieldErrors).toEqual([{ field: 'name', message: 'is already used by another service' }]);
    expect((await refusal(services.update(admin, second.id, { name: 'billing' }, meta))).code).toBe(ErrorCode.CONFLICT);
    expect((await services.list(admin)).map((s) => s.name)).toEqual(['Billing', 'Reports']);

    const elsewhere = await services.create(userPrincipal(await createTenant(db), 'admin'), { name: 'Billing' }, meta);
    expect(elsewhere.id).not.toBe(first.id);
  });

  it('refuses unknown Custos scopes and malformed ones, field by field', async () => {
    const admin = userPrincipal(tenantId, 'admin');

    const error = await refusal(services.create(admin, { name: 'Bad', allowedScopes: ['orders:read', 'custos:everything', 'no spaces'] }, meta));

    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.fieldErrors.map((f) => f.field)).toEqual(['allowedScopes[1]', 'allowedScopes[2]']);
    expect(await services.list(admin)).toEqual([]);
  });

  it('needs the services scopes, whoever asks', async () => {
    const viewer = userPrincipal(tenantId, 'viewer');
    expect(ROLE_SCOPES.viewer).toContain('custos:services:read');

    expect((await refusal(services.create(viewer, { name: 'Nope' }, meta))).code).toBe(ErrorCode.FORBIDDEN);
    const key = serviceKeyPrincipal(tenantId, ['custos:tokens:read']);
    expect((await refusal(services.list(key))).code).toBe(ErrorCode.FORBIDDEN);
  });

  it('narrows a service with the before and after in its audit event', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const created = await services.create(admin, { name: 'Orders', allowedScopes: ['orders:read', 'orders:write'] }, meta);

    const updated = await services.update(admin, created.id, { allowedScopes: ['orders:read'], description: 'the shop' }, meta);

    expect(updated).toMatchObject({ id: created.id, name: 'Orders', allowedScopes: ['orders:read'], description: 'the shop' });
    expect(await services.get(admin, created.id)).toEqual(updated);
    const event = (await auditTrailOf(db, tenantId)).find((e) => e.action === 'service.updated');
    expect(event?.data).toEqual({
      changed: ['description', 'allowedScopes'],
      before: { name: 'Orders', allowedScopes: ['orders:read', 'orders:write'] },
      after: { name: 'Orders', allowedScopes: ['orders:read'] },
    });
  });

  it("neither reads nor changes another tenant's service", async () => {
    const mine = await services.create(userPrincipal(tenantId, 'admin'), { name: 'Mine' }, meta);
    const stranger = userPrincipal(await createTenant(db), 'owner');

    expect((await refusal(services.get(stranger, mine.id))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(services.update(stranger, mine.id, { name: 'Taken over' }, meta))).code).toBe(ErrorCode.NOT_FOUND);
    expect(await services.list(stranger)).toEqual([]);
    expect((await services.get(userPrincipal(tenantId, 'viewer'), mine.id)).name).toBe('Mine');
  });
});
