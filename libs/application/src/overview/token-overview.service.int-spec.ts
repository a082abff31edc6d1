import { TokenOverviewRepository } from '@custos/persistence';
import { createTenant, insertServiceRow, insertTokenRow, useMediumDatabase } from '@custos/fixtures';
import type { Principal } from '../auth/principal';
import { ACTIVITY_DAYS, TokenOverviewQuery } from './token-overview.service';

const reader = (tenantId: string): Principal => ({
  tenantId, kind: 'user', id: 'usr_reader', email: null, name: null, scopes: ['custos:tokens:read'], role: 'viewer', ownerServiceId: null, sessionId: null,
});

describe('TokenOverviewQuery (real database)', () => {
  const db = useMediumDatabase();
  const query = new TokenOverviewQuery(db, new TokenOverviewRepository());
  let tenantId: string;

  beforeAll(async () => {
    tenantId = await createTenant(db, 'overview');
    await insertTokenRow(db, tenantId, { lastUsedAgo: '1 minute', expiresIn: '60 days' });
    await insertTokenRow(db, tenantId, { expiresIn: '3 days', lastUsedAgo: '1 hour' });
    await insertTokenRow(db, tenantId, { status: 'suspended', expiresIn: '2 days' });
    await insertTokenRow(db, tenantId, { rotateIn: '-1 hour', expiresIn: '60 days', lastUsedAgo: '1 hour' });
    await insertTokenRow(db, tenantId, { createdAgo: '40 days', expiresIn: '60 days' });
    await insertTokenRow(db, tenantId, { createdAgo: '2 days', status: 'revoked', revokedAgo: '0' });
    await insertTokenRow(db, tenantId, { createdAgo: '50 days', status: 'expired', expiresIn: '-10 days' });
    const other = await createTenant(db, 'overview other');
    for (let i = 0; i < 3; i++) await insertTokenRow(db, other, { createdAgo: '40 days', expiresIn: '2 days', rotateIn: '-1 hour' });
  });

  it("counts the tenant's tokens by status, and what needs attention", async () => {
    const overview = await query.overview(reader(tenantId));
    expect(overview.byStatus).toEqual({ active: 4, rotating: 0, suspended: 1, revoked: 1, expired: 1 });
    expect([overview.expiringSoon, overview.rotationOverdue, overview.unused]).toEqual([2, 1, 1]);
  });

  it(`gives issued and revoked per UTC day for the last ${ACTIVITY_DAYS} days, today last`, async () => {
    const now = new Date();
    const { daily, generatedAt } = await query.overview(reader(tenantId), {}, now);
    expect(generatedAt).toBe(now.toISOString());
    expect(daily).toHaveLength(ACTIVITY_DAYS);
    expect(daily.at(-1)).toEqual({ day: now.toISOString().slice(0, 10), issued: 4, revoked: 1 });
    const twoDaysAgo = new Date(now.getTime() - 2 * 86_400_000).toISOString().slice(0, 10);
    expect(daily.find((d) => d.day === twoDaysAgo)).toEqual({ day: twoDaysAgo, issued: 1, revoked: 0 });
    expect(daily.reduce((sum, d) => sum + d.issued, 0)).toBe(5);
  });

  it("counts one service's tokens only when asked for that service", async () => {
    const serviceTenant = await createTenant(db, 'overview per service');
    const orders = await insertServiceRow(db, serviceTenant, []);
    const billing = await insertServiceRow(db, serviceTenant, []);
    await insertTokenRow(db, serviceTenant, { ownerServiceId: orders, expiresIn: '3 days', lastUsedAgo: '1 hour' });
    await insertTokenRow(db, serviceTenant, { ownerServiceId: orders, rotateIn: '-1 hour', expiresIn: '60 days', lastUsedAgo: '1 hour' });
    await insertTokenRow(db, serviceTenant, { ownerServiceId: orders, status: 'revoked', revokedAgo: '0' });
    await insertTokenRow(db, serviceTenant, { ownerServiceId: billing, expiresIn: '2 days', createdAgo: '40 days' });
    await insertTokenRow(db, serviceTenant, { status: 'suspended' });

    const ofOrders = await query.overview(reader(serviceTenant), { ownerServiceId: orders });
    expect(ofOrders.byStatus).toEqual({ active: 2, rotating: 0, suspended: 0, revoked: 1, expired: 0 });
    expect([ofOrders.expiringSoon, ofOrders.rotationOverdue, ofOrders.unused]).toEqual([1, 1, 0]);
    expect(ofOrders.daily.at(-1)).toMatchObject({ issued: 3, revoked: 1 });

    const ofBilling = await query.overview(reader(serviceTenant), { ownerServiceId: billing });
    expect(ofBilling.byStatus).toEqual({ active: 1, rotating: 0, suspended: 0, revoked: 0, expired: 0 });
    expect([ofBilling.expiringSoon, ofBilling.rotationOverdue, ofBilling.unused]).toEqual([1, 0, 1]);

    const all = await query.overview(reader(serviceTenant));
    expect(all.byStatus).toEqual({ active: 3, rotating: 0, suspended: 1, revoked: 1, expired: 0 });
    // Another tenant's service id, or none at all, counts nothing here.
    const unknown = await query.overview(reader(tenantId), { ownerServiceId: orders });
    expect(Object.values(unknown.byStatus).every((n) => n === 0)).toBe(true);
  });

  it('needs the read permission', async () => {
    await expect(query.overview({ ...reader(tenantId), scopes: [] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
