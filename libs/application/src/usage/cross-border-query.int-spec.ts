import { ErrorCode } from '@custos/contracts';
import type { UsageEvent } from '@custos/domain';
import { newComplianceTenant, seedToken, storedAuditEvents, usageEvent, useMediumDatabase } from '@custos/fixtures';
import { UsageEventRepository, UsageQueryRepository, type CrossBorderPosition, type CrossBorderTransfer } from '@custos/persistence';
import { auditOn } from '../testing/audit-on';
import { refusalOf } from '../testing/refusal';
import { meta, person, serviceKey } from '../testing/token-use-cases';
import { CrossBorderExport, CROSS_BORDER_EXPORT_COLUMNS } from './cross-border-export';
import { CrossBorderQuery, type CrossBorderTransferView } from './cross-border-query';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * GET /v1/cross-border and its export on the real database: transfers summed per token and country over
 * hours and outcomes from the rollups, the period's bounds, filters, keyset pages, CSV an auditor can
 * open, and nothing of another tenant.
 */
describe('cross-border transfers', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  const writes = new UsageEventRepository();
  const reads = new UsageQueryRepository();
  const query = new CrossBorderQuery(db, reads);
  const exporter = new CrossBorderExport(db, audit, query);
  afterEach(() => sealer.drain());

  const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
  const now = new Date(thisHour + 30 * 60_000);
  const at = (hoursAgo: number, minute = 0) => new Date(thisHour - hoursAgo * HOUR + minute * 60_000);
  const longAgo = new Date(now.getTime() - 40 * DAY);

  let tenantId: string;
  let other: string;
  beforeAll(async () => {
    await db.system((tx) => writes.ensurePartitions(tx, new Date(Date.now() - 45 * DAY), new Date()));
    [tenantId, other] = [await newComplianceTenant(db), await newComplianceTenant(db)];
    // tok_a: owned by svc_owner, a name a spreadsheet would take for a formula; tok_b: no owner.
    await seedToken(db, tenantId, 'tok_a', { name: '=SUM(1,2) "EU" records', residencyRegion: 'EU', geoMode: 'monitor', allowedRegions: ['EU'] });
    await seedToken(db, tenantId, 'tok_b', { residencyRegion: 'EEA', owner: null });
    await seedToken(db, other, 'tok_theirs', { residencyRegion: 'EU' });
    const use = (tenant: string, tokenId: string, occurredAt: Date, overrides: Partial<UsageEvent> = {}): UsageEvent =>
      usageEvent(tenant, { tokenId, occurredAt, country: 'US', region: 'US', crossBorder: true, ...overrides });
    const store = (tenant: string, events: UsageEvent[]) => db.tenant(tenant, (tx) => writes.insertBatch(tx, events));
    await store(tenantId, [
      // tok_a to the US over two hours and three outcomes: one transfer of 5 uses.
      use(tenantId, 'tok_a', at(3, 10)),
      use(tenantId, 'tok_a', at(3, 20)),
      use(tenantId, 'tok_a', at(2, 5), { outcome: 'INSUFFICIENT_SCOPE' }),
      use(tenantId, 'tok_a', at(2, 15)),
      use(tenantId, 'tok_a', at(1, 50), { outcome: 'REVOKED' }),
      use(tenantId, 'tok_a', at(1, 40), { country: 'JP', region: 'APAC' }),
      // At home: no transfer.
      use(tenantId, 'tok_a', at(1), { country: 'DE', region: 'EU', crossBorder: false }),
      use(tenantId, 'tok_b', at(26), { country: 'BR', region: 'ADEQUACY' }),
      // Outside the default period (the last 30 days).
      use(tenantId, 'tok_b', longAgo, { country: 'CN', region: 'APAC' }),
    ]);
    await store(other, [use(other, 'tok_theirs', at(1)), use(other, 'tok_theirs', at(1))]);
  });

  const auditOf = async (requestId: string) =>
    (await storedAuditEvents(db, tenantId)).filter((e) => e.requestId === requestId).map(({ action, actorId, data }) => ({ action, actorId, data }));

  const transfer = (overrides: Partial<CrossBorderTransferView>): CrossBorderTransferView => ({
    tokenId: 'tok_a', tokenName: '=SUM(1,2) "EU" records', fromRegion: 'EU', toCountry: 'US', toRegion: 'US', count: 0, byOutcome: {},
    firstAt: '', lastAt: '', ...overrides,
  });
  const US = transfer({ count: 5, byOutcome: { VALID: 3, INSUFFICIENT_SCOPE: 1, REVOKED: 1 }, firstAt: at(3, 10).toISOString(), lastAt: at(1, 50).toISOString() });
  const JP = transfer({ toCountry: 'JP', toRegion: 'APAC', count: 1, byOutcome: { VALID: 1 }, firstAt: at(1, 40).toISOString(), lastAt: at(1, 40).toISOString() });
  const BR = transfer({
    tokenId: 'tok_b', tokenName: 'tok_b', fromRegion: 'EEA', toCountry: 'BR', toRegion: 'ADEQUACY', count: 1, byOutcome: { VALID: 1 },
    firstAt: at(26).toISOString(), lastAt: at(26).toISOString(),
  });

  it('sums the last 30 days per token and country over hours and outcomes, from the hour the period starts in', async () => {
    const view = await query.list(person(tenantId, 'viewer'), {}, now);
    expect(view).toEqual({ from: new Date(thisHour - 30 * DAY).toISOString(), to: now.toISOString(), items: [JP, US, BR].sort(byKey) });
  });

  it('narrows to a token, to the tokens of a service, and to an explicit period', async () => {
    const viewer = person(tenantId, 'viewer');
    expect((await query.list(viewer, { tokenId: 'tok_b' }, now)).items).toEqual([BR]);
    expect((await query.list(viewer, { serviceId: 'svc_owner' }, now)).items).toEqual([JP, US].sort(byKey));
    // Whole hours: a period from the middle of the hour of the first use counts that hour whole.
    expect((await query.list(viewer, { from: at(3, 30), to: at(2) }, now)).items).toEqual([
      transfer({ count: 2, byOutcome: { VALID: 2 }, firstAt: at(3, 10).toISOString(), lastAt: at(3, 20).toISOString() }),
    ]);
    const older = await query.list(viewer, { from: new Date(now.getTime() - 60 * DAY), to: new Date(now.getTime() - 30 * DAY) }, now);
    expect(older.items).toEqual([transfer({ ...BR, toCountry: 'CN', toRegion: 'APAC', firstAt: longAgo.toISOString(), lastAt: longAgo.toISOString() })]);
  });

  it('refuses a period that ends before it starts or spans more than 400 days, and callers without custos:usage:read', async () => {
    const viewer = person(tenantId, 'viewer');
    const fields = async (input: Parameters<CrossBorderQuery['list']>[1]) => {
      const error = await refusalOf(query.list(viewer, input, now));
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
      return error.fieldErrors.map((f) => f.field);
    };
    expect(await fields({ from: now, to: at(5) })).toEqual(['to']);
    expect(await fields({ from: new Date(now.getTime() - 401 * DAY) })).toEqual(['from']);
    expect((await query.list(viewer, { from: new Date(now.getTime() - 400 * DAY) }, now)).items).toHaveLength(4);
    expect((await refusalOf(query.list(serviceKey(tenantId, ['custos:tokens:read']), {}, now))).code).toBe(ErrorCode.FORBIDDEN);
    await expect(query.list(serviceKey(tenantId, ['custos:usage:read']), {}, now)).resolves.toMatchObject({ items: [JP, US, BR].sort(byKey) });
  });

  it("never lists another tenant's transfers, even when asked for its token", async () => {
    const viewer = person(tenantId, 'owner');
    expect((await query.list(viewer, {}, now)).items.map((t) => t.tokenId)).not.toContain('tok_theirs');
    expect((await query.list(viewer, { tokenId: 'tok_theirs' }, now)).items).toEqual([]);
    expect((await query.list(person(other, 'viewer'), {}, now)).items).toEqual([
      transfer({ tokenId: 'tok_theirs', tokenName: 'tok_theirs', count: 2, byOutcome: { VALID: 2 }, firstAt: at(1).toISOString(), lastAt: at(1).toISOString() }),
    ]);
  });

  it('reads in keyset pages by token, then country, every transfer once', async () => {
    const period = { from: new Date(now.getTime() - 400 * DAY), to: now };
    const seen: string[] = [];
    let after: CrossBorderPosition | null = null;
    for (;;) {
      const position: CrossBorderPosition | null = after;
      const page: CrossBorderTransfer[] = await db.tenant(tenantId, (tx) => reads.crossBorderTransfers(tx, period, position, 1));
      if (page.length === 0) break;
      seen.push(...page.map((t) => `${t.tokenId} ${t.country}`));
      after = { tokenId: page[0]!.tokenId, country: page[0]!.country };
    }
    expect(seen).toEqual(['tok_a JP', 'tok_a US', 'tok_b BR', 'tok_b CN']);
    expect(await db.tenant(tenantId, (tx) => reads.crossBorderTotals(tx, period))).toEqual({ transfers: 4, uses: 8, tokens: 2 });
  });

  it('exports CSV with a header row, quoted and formula-escaped cells, audited with its period and filters', async () => {
    const auditor = person(tenantId, 'auditor');
    const file = await exporter.export(auditor, { tokenId: 'tok_a' }, 'csv', meta('req-cross-border-csv'), now);
    let text = '';
    for await (const chunk of file.chunks) text += chunk;
    expect(text.trimEnd().split('\n')).toEqual([
      CROSS_BORDER_EXPORT_COLUMNS.join(','),
      `tok_a,"'=SUM(1,2) ""EU"" records",EU,JP,APAC,1,"{""VALID"":1}",${JP.firstAt},${JP.lastAt}`,
      `tok_a,"'=SUM(1,2) ""EU"" records",EU,US,US,5,"{""VALID"":3,""INSUFFICIENT_SCOPE"":1,""REVOKED"":1}",${US.firstAt},${US.lastAt}`,
    ]);
    expect(file).toMatchObject({ from: new Date(thisHour - 30 * DAY).toISOString(), to: now.toISOString() });
    expect(await auditOf('req-cross-border-csv')).toEqual([
      { action: 'cross_border.exported', actorId: 'usr_auditor', data: { format: 'csv', from: file.from, to: file.to, filter: { tokenId: 'tok_a' } } },
    ]);
  });

  it('exports JSON as the list answers it; a refused period writes nothing', async () => {
    const auditor = person(tenantId, 'auditor');
    const file = await exporter.export(auditor, {}, 'json', meta('req-cross-border-json'), now);
    let text = '';
    for await (const chunk of file.chunks) text += chunk;
    expect(JSON.parse(text)).toEqual(await query.list(auditor, {}, now));
    const refused = await refusalOf(exporter.export(auditor, { from: now, to: at(5) }, 'csv', meta('req-cross-border-refused'), now));
    expect(refused.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(await auditOf('req-cross-border-refused')).toEqual([]);
  });
});

function byKey(a: CrossBorderTransferView, b: CrossBorderTransferView): number {
  return `${a.tokenId} ${a.toCountry}` < `${b.tokenId} ${b.toCountry}` ? -1 : 1;
}
