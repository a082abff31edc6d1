import type { ControlOutcomeWithEvidence, CrossBorderView } from '@custos/application';
import {
  ApiClient,
  createScratchDatabase,
  issueToken,
  serviceKey,
  signupTenant,
  startApi,
  type ApiResponse,
  type RunningApi,
  type ScratchDatabase,
  type TestTenant,
} from '@custos/testing';

const DAY = 86_400_000;
/** Located by the bundled country database: Germany and the United States. */
const GERMANY = '85.214.132.117';
const UNITED_STATES = '8.8.8.8';

interface Problem {
  code: string;
  errors?: Array<{ field: string }>;
}

/**
 * Cross-border transfers black-box: verifies from the United States of tokens resident in the EU, written
 * when the api stops gracefully, then listed by GET /v1/cross-border, exported for an auditor as CSV and
 * JSON, and judged by the compliance control; another tenant sees none of them.
 */
describe('cross-border transfers over HTTP', () => {
  let db: ScratchDatabase;
  let api: RunningApi;
  let tenant: TestTenant;
  let other: TestTenant;
  let owner: ApiClient;
  let monitored: { id: string; name: string };
  let enforced: { id: string; name: string };

  beforeAll(async () => {
    db = await createScratchDatabase('cross_border');
    api = await startApi(db.env);
    const client = new ApiClient(api.url);
    [tenant, other] = await Promise.all([signupTenant(client, 'Cross-border'), signupTenant(client, 'Cross-border other')]);
    const key = await serviceKey(tenant, ['custos:tokens:verify']);
    const fence = { residencyRegion: 'EU', allowedRegions: ['EU'] };
    monitored = { id: '', name: 'records, "EU" monitored' };
    enforced = { id: '', name: 'records enforced' };
    const [m, e, home] = await Promise.all([
      issueToken(tenant.owner, { ...fence, geoMode: 'monitor', name: monitored.name }),
      issueToken(tenant.owner, { ...fence, geoMode: 'enforce', name: enforced.name }),
      issueToken(tenant.owner, { name: 'no residency' }),
    ]);
    [monitored.id, enforced.id] = [m.token.id, e.token.id];
    const codeOf = async (secret: string, ip: string) => (await key.client.post<{ code: string }>('/v1/verify', { token: secret, context: { ip } })).body.code;
    expect(await codeOf(m.secret, UNITED_STATES)).toBe('VALID');
    expect(await codeOf(m.secret, UNITED_STATES)).toBe('VALID');
    expect(await codeOf(m.secret, GERMANY)).toBe('VALID');
    expect(await codeOf(e.secret, UNITED_STATES)).toBe('GEO_BLOCKED');
    // No residency region: nothing is cross-border for it.
    expect(await codeOf(home.secret, UNITED_STATES)).toBe('VALID');
    // Usage events are written at the latest when the api stops gracefully.
    await api.stop();
    api = await startApi(db.env);
    owner = new ApiClient(api.url, tenant.owner.auth);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  const transfers = (): Array<Record<string, unknown>> =>
    [
      { tokenId: monitored.id, tokenName: monitored.name, fromRegion: 'EU', toCountry: 'US', toRegion: 'US', count: 2, byOutcome: { VALID: 2 } },
      { tokenId: enforced.id, tokenName: enforced.name, fromRegion: 'EU', toCountry: 'US', toRegion: 'US', count: 1, byOutcome: { GEO_BLOCKED: 1 } },
    ].sort((a, b) => (a.tokenId < b.tokenId ? -1 : 1));

  it('lists each token used from outside its residency region, per country, with how its uses were answered', async () => {
    const res = await owner.get<CrossBorderView>('/v1/cross-border');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(transfers().map((t) => ({ ...t, firstAt: expect.any(String), lastAt: expect.any(String) })));
    expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBeGreaterThanOrEqual(30 * DAY);
    expect((await owner.get<CrossBorderView>(`/v1/cross-border?tokenId=${monitored.id}`)).body.items).toEqual([expect.objectContaining({ tokenId: monitored.id })]);
    // A period that ended before the uses lists none.
    expect((await owner.get<CrossBorderView>('/v1/cross-border?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z')).body.items).toEqual([]);
  });

  it('answers 400 naming the field for a period that ends before it starts, is longer than 400 days, or is no date', async () => {
    const fields = async (query: string) => {
      const res: ApiResponse<Problem> = await owner.get<Problem>(`/v1/cross-border?${query}`);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      return (res.body.errors ?? []).map((e) => e.field);
    };
    const now = Date.now();
    expect(await fields(`from=${new Date(now).toISOString()}&to=${new Date(now - DAY).toISOString()}`)).toEqual(['to']);
    expect(await fields(`from=${new Date(now - 401 * DAY).toISOString()}`)).toEqual(['from']);
    expect(await fields('from=yesterday')).toEqual(['from']);
    expect((await owner.get(`/v1/cross-border/export?from=${new Date(now).toISOString()}&to=${new Date(now - DAY).toISOString()}`)).status).toBe(400);
  });

  it("exports the transfers for an auditor as a CSV attachment with a header row and escaped cells, and as the list's JSON", async () => {
    const csv = await owner.get<string>('/v1/cross-border/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="custos-cross-border-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.body.trimEnd().split('\n');
    expect(lines[0]).toBe('tokenId,tokenName,fromRegion,toCountry,toRegion,count,byOutcome,firstAt,lastAt');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${monitored.id},"records, ""EU"" monitored",EU,US,US,2,"\\{""VALID"":2\\}",\\S+,\\S+$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${enforced.id},records enforced,EU,US,US,1,"\\{""GEO_BLOCKED"":1\\}",`)));
    expect(lines).toHaveLength(3);

    // The same period for both: by default each ends when it is asked.
    const period = `from=${new Date(Date.now() - DAY).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const json = await owner.get<CrossBorderView>(`/v1/cross-border/export?format=json&${period}`);
    expect(json.headers.get('content-disposition')).toMatch(/\.json"$/);
    expect(json.body.items).toHaveLength(2);
    expect(json.body).toEqual((await owner.get<CrossBorderView>(`/v1/cross-border?${period}`)).body);
  });

  it('fails the GDPR control on the uses let through outside the monitored geofence, listing every transfer', async () => {
    const period = `from=${new Date(Date.now() - 7 * DAY).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const res = await owner.get<{ items: ControlOutcomeWithEvidence[] }>(`/v1/compliance/controls?framework=gdpr&${period}&evidenceLimit=10`);
    expect(res.status).toBe(200);
    const control = res.body.items.find((c) => c.id === 'cross-border-transfers');
    expect(control).toMatchObject({ status: 'fail', evidenceCount: 2, metrics: { outsideGeofence: 1, refused: 1 } });
    expect(control?.evidence).toContainEqual(expect.objectContaining({ subject: monitored.id, detail: 'EU to US (US): 2 uses, 2 let through; outside its geofence' }));
    expect(control?.evidence).toContainEqual(expect.objectContaining({ subject: enforced.id, detail: 'EU to US (US): 1 use, 0 let through; every use refused' }));
  });

  it('shows another tenant none of them, even when it names the token', async () => {
    const theirs = new ApiClient(api.url, other.owner.auth);
    expect((await theirs.get<CrossBorderView>('/v1/cross-border')).body.items).toEqual([]);
    expect((await theirs.get<CrossBorderView>(`/v1/cross-border?tokenId=${monitored.id}`)).body.items).toEqual([]);
  });
});
