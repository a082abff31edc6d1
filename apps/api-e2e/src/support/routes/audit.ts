import { tenantFootprint, type ApiClient } from '@custos/testing';
import type { RouteSpec } from './route-spec';
import { fixtureOf, ids, NO_BODY, TOKEN, CHECKPOINT, BOTH, type Page } from './shared';

/** The audit routes of the catalogue. */
export const AUDIT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/audit-events',
    access: { scope: 'custos:audit:read' },
    object: TOKEN,
    valid: (c) => ({ query: `target=${fixtureOf(c).id}` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ items: [{ action: 'token.issued', targetId: fixtureOf(c).id }] });
      },
    },
    invalid: { request: () => ({ query: 'limit=500&from=yesterday&colour=red' }), fields: ['limit', 'from', 'colour'] },
    crossTenant: {
      kind: 'list',
      ids: (body) => (body as Page<{ targetId: string | null; actorId: string | null }>).items.flatMap((e) => [e.targetId ?? '', e.actorId ?? '']),
      mine: (c) => fixtureOf(c).id,
    },
  },
  {
    method: 'GET',
    path: '/v1/audit-events/verify',
    access: { scope: 'custos:audit:read' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ valid: true, checkedEvents: c.before.auditEvents, headSeq: c.before.auditHeadSeq });
      },
    },
    invalid: NO_BODY,
    crossTenant: {
      kind: 'custom',
      title: "B's verdict covers B's chain only",
      async run({ world }) {
        const mine = await tenantFootprint(world.b.tenantId);
        const res = await world.bKey.get('/v1/audit-events/verify');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ valid: true, checkedEvents: mine.auditEvents, headSeq: mine.auditHeadSeq });
        expect(mine.auditHeadSeq).not.toBe((await tenantFootprint(world.a.tenantId)).auditHeadSeq);
      },
    },
  },
  {
    method: 'POST',
    path: '/v1/audit-events/checkpoints',
    access: { scope: 'custos:audit:checkpoint' },
    object: CHECKPOINT,
    text: { notApplicable: 'takes an empty body and names nothing' },
    valid: () => ({ body: {} }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['audit.checkpoint_signed'],
      check(res, c) {
        // It signs the head as it stood, links to the checkpoint before it, and is on the record.
        expect(res.body).toMatchObject({
          id: expect.stringMatching(/^ckp_/),
          seq: c.before.auditHeadSeq,
          prev: fixtureOf(c).id,
          kid: fixtureOf(c).name,
          jws: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        });
        expect(c.after.auditCheckpoints).toBe(c.before.auditCheckpoints + 1);
        expect(c.after.signingKeys).toBe(c.before.signingKeys);
      },
    },
    invalid: { request: () => ({ body: { seq: 1, colour: 'red' } }), fields: ['seq', 'colour'] },
    crossTenant: {
      kind: 'custom',
      title: "B's checkpoint signs B's chain head, and A's checkpoints stay as they were",
      async run({ world }) {
        const [before, bHead] = [await tenantFootprint(world.a.tenantId), (await tenantFootprint(world.b.tenantId)).auditHeadSeq];
        const res = await world.bKey.post<{ seq: number; jws: string }>('/v1/audit-events/checkpoints', {});
        expect(res.status).toBe(201);
        expect(res.body.seq).toBe(bHead);
        const payload = JSON.parse(Buffer.from(res.body.jws.split('.')[1]!, 'base64url').toString('utf8')) as { tenantId: string };
        expect(payload.tenantId).toBe(world.b.tenantId);
        expect(await tenantFootprint(world.a.tenantId)).toEqual(before);
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/audit-events/checkpoints',
    access: { scope: 'custos:audit:read' },
    object: CHECKPOINT,
    valid: () => ({ query: 'limit=200' }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        // Newest first: the checkpoint just made leads.
        expect((res.body as Page<unknown>).items[0]).toMatchObject({ id: fixtureOf(c).id, kid: fixtureOf(c).name });
      },
    },
    invalid: { request: () => ({ query: 'limit=0&colour=red' }), fields: ['limit', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/audit-events/export',
    access: { scope: 'custos:audit:read' },
    text: { probe: () => ({ query: 'from=2026-01-01T00:00:00.000Z&to=2026-02-01T00:00:00.000Z' }) },
    // A tenant that signed before: the export's own signature makes no key.
    object: CHECKPOINT,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      // The export signs the head it ends on; taking the trail away is itself on the record.
      audit: ['audit.checkpoint_signed', 'audit.exported'],
      check(res, c) {
        expect(res.headers.get('content-type')).toContain('application/x-ndjson');
        expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="custos-audit-.+\.jsonl"$/);
        const lines = (res.body as string).trim().split('\n').map((l) => JSON.parse(l) as { type: string; tenantId?: string; seq?: number });
        expect(lines[0]).toMatchObject({ type: 'header', tenantId: c.world.a.tenantId, firstSeq: 1, lastSeq: c.before.auditHeadSeq });
        expect(lines.filter((l) => l.type === 'event')).toHaveLength(c.before.auditHeadSeq);
        expect(lines[lines.length - 2]).toMatchObject({ type: 'checkpoint', seq: c.before.auditHeadSeq });
        expect(lines[lines.length - 1]).toMatchObject({ type: 'jwks', keys: expect.any(Array) });
        expect(c.after.auditCheckpoints).toBe(c.before.auditCheckpoints + 1);
      },
    },
    invalid: { request: () => ({ query: 'from=yesterday&colour=red' }), fields: ['from', 'colour'] },
    crossTenant: {
      kind: 'custom',
      title: "B's export holds B's events only",
      async run({ world }) {
        const res = await world.bKey.get<string>('/v1/audit-events/export');
        expect(res.status).toBe(200);
        expect(res.body).toContain(world.b.tenantId);
        expect(res.body).not.toContain(world.a.tenantId);
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/tenants/current/jwks.json',
    access: { scope: 'custos:audit:read' },
    object: CHECKPOINT,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        const { keys } = res.body as { keys: Array<Record<string, string>> };
        expect(keys[0]).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: fixtureOf(c).name, alg: 'ES256', use: 'sig' });
        expect(JSON.stringify(keys)).not.toMatch(/"d"|sealed|private/);
      },
    },
    invalid: NO_BODY,
    crossTenant: {
      kind: 'custom',
      title: "B's JWKS never holds A's keys",
      async run({ world }) {
        const kidsOf = async (client: ApiClient) =>
          ((await client.get<{ keys: Array<{ kid: string }> }>('/v1/tenants/current/jwks.json')).body.keys ?? []).map((k) => k.kid);
        const mine = await kidsOf(world.aKey);
        expect(mine.length).toBeGreaterThan(0);
        for (const kid of await kidsOf(world.bKey)) expect(mine).not.toContain(kid);
      },
    },
  },
];
