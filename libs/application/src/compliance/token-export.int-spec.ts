import { auditEventsWithAction, newComplianceTenant, seedToken, seedTokenBatch, useMediumDatabase } from '@custos/fixtures';
import { ActorRepository, TokenExportRepository } from '@custos/persistence';
import { auditOn } from '../testing/audit-on';
import type { Principal } from '../auth/principal';
import type { TokenView } from '../tokens/token-view';
import { TOKEN_EXPORT_COLUMNS, TokenExport, type TokenExportFilter, type TokenExportFormat } from './token-export';

function principalOf(tenantId: string, scopes: string[] = ['custos:tokens:read']): Principal {
  return { tenantId, kind: 'user', id: 'usr_exporter', email: null, name: null, scopes, role: 'auditor', ownerServiceId: null, sessionId: null };
}

/** The token export on the real database: every matching token once, newest first, nothing secret, on the record. */
describe('TokenExport', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  const exporter = new TokenExport(db, audit, new TokenExportRepository(), new ActorRepository());
  const meta = { requestId: 'req-export', ip: null };
  // Seals run after commit without being awaited: none may outlive the test's pool.
  afterEach(() => sealer.drain());

  async function exported(tenantId: string, format: TokenExportFormat, filter: TokenExportFilter = {}): Promise<string> {
    let text = '';
    for await (const chunk of await exporter.export(principalOf(tenantId), filter, format, meta)) text += chunk;
    return text;
  }

  it('pages through more than a page of tokens created within the same milliseconds, each exactly once, newest first', async () => {
    const tenantId = await newComplianceTenant(db);
    await seedTokenBatch(db, tenantId, 1005);
    const tokens = JSON.parse(await exported(tenantId, 'json')) as TokenView[];
    expect(tokens).toHaveLength(1005);
    expect(tokens.map((t) => t.id)).toEqual(Array.from({ length: 1005 }, (_, i) => `tok_bulk_${i + 1}`));
  });

  it('writes CSV with the public columns only and formulas escaped, and applies the filters', async () => {
    const tenantId = await newComplianceTenant(db);
    await seedToken(db, tenantId, 'tok_live', { scopes: ['=HYPERLINK("x")'] });
    await seedToken(db, tenantId, 'tok_gone', { status: 'revoked', revokedAgo: '1 hour', revokedBy: 'usr_a', revokedReason: 'leaked' });
    const text = await exported(tenantId, 'csv', { status: ['active'] });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]!.split(',')).toEqual([...TOKEN_EXPORT_COLUMNS]);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['tok_live']);
    expect(text).not.toMatch(/secretHash|pepperId|secret_hash/);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it("records the export with its filter, and never exports another tenant's tokens", async () => {
    const tenantId = await newComplianceTenant(db);
    const other = await newComplianceTenant(db);
    await seedToken(db, tenantId, 'tok_mine');
    await seedToken(db, other, 'tok_theirs');
    expect((JSON.parse(await exported(tenantId, 'json', { q: 'tok' })) as TokenView[]).map((t) => t.id)).toEqual(['tok_mine']);
    const events = await auditEventsWithAction(db, tenantId, ['tokens.exported']);
    expect(events).toEqual([expect.objectContaining({ requestId: 'req-export', data: { format: 'json', filter: { q: 'tok' } } })]);
    expect(await auditEventsWithAction(db, other, ['tokens.exported'])).toEqual([]);
  });

  it('needs custos:tokens:read', async () => {
    const tenantId = await newComplianceTenant(db);
    await expect(exporter.export(principalOf(tenantId, ['custos:reports:read']), {}, 'csv', meta)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
