import { randomBytes } from 'node:crypto';
import { createDataSource } from '../database/data-source';
import { Database, type Tx } from '../database/database';
import { TokenEntity } from '../entities/token.entity';
import { tokenInsert, tokenInserts } from './token-rows';

/**
 * An issue batch writes its tokens as one JSON array (tokenInserts), a single token as a plain
 * parameterised INSERT (tokenInsert): both must store exactly the same row.
 */
describe('token rows', () => {
  const db = new Database(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 }));
  const tenantId = `ten_rows_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    await db.dataSource.initialize();
    await db.tenant(tenantId, (tx) => tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, 'token rows')`, [tenantId]));
  });
  afterAll(() => db.dataSource.destroy());

  /** Every column the INSERTs write, with values that are easy to get wrong on the way through JSON. */
  const token = (id: string): TokenEntity =>
    Object.assign(new TokenEntity(), {
      tenantId,
      id,
      kind: 'api_key',
      name: `quote ' "double" back\\slash, ünïcode 🗝`,
      environment: 'test',
      ownerServiceId: null,
      stewardUserId: 'usr_rows_steward',
      createdBy: 'key_rows',
      createdVia: 'api',
      lookupId: `lk${randomBytes(8).toString('hex')}`,
      secretHash: randomBytes(32).toString('hex'),
      pepperId: 'p1',
      last4: 'a1B2',
      scopes: ['orders:read', 'a.b_c-d:e'],
      status: 'active',
      notBefore: new Date('2030-01-02T03:04:05.678Z'),
      expiresAt: new Date('2031-06-07T08:09:10.123Z'),
      rotationIntervalSeconds: 86_400,
      gracePeriodSeconds: 0,
      nextRotationAt: new Date('2030-01-03T03:04:05.001Z'),
      rotatedFromId: null,
      rootId: id,
      allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'],
      maxUses: 7,
      remainingUses: 7,
      metadata: { team: 'orders', nested: { list: [1, 'two', null, true], quote: `it's "quoted"` }, empty: {} },
      consentId: null,
      dataCategories: ['personal'],
      createdAt: new Date('2029-12-31T23:59:59.999Z'),
      updatedAt: new Date('2029-12-31T23:59:59.999Z'),
      geoMode: 'enforce',
      residencyRegion: 'EU',
      allowedRegions: ['EU', 'UK'],
      allowedCountries: ['CH'],
      rateLimit: 100,
      rateLimitWindowSeconds: 60,
    } satisfies Partial<TokenEntity>);

  /** A stored token's row as JSON, without what differs between two tokens by construction. */
  const storedRow = async (tx: Tx, id: string): Promise<Record<string, unknown>> => {
    const row = await tx.one<{ row: Record<string, unknown> }>(`SELECT to_jsonb(t) - 'id' - 'root_id' - 'lookup_id' - 'secret_hash' AS row FROM tokens t WHERE id = $1`, [id]);
    return row!.row;
  };

  it('stores a batch of tokens exactly as the one-token INSERT stores one', async () => {
    const [single, first, second] = ['tok_rows_single', 'tok_rows_first', 'tok_rows_second'].map((id) => token(`${id}_${randomBytes(4).toString('hex')}`));
    await db.tenant(tenantId, async (tx) => {
      const one = tokenInsert(single!);
      await tx.rows(one.sql, one.params);
      const batch = tokenInserts([first!, second!]);
      await tx.rows(batch.sql, batch.params, { prepare: batch.fixedText === true });
      const expected = await storedRow(tx, single!.id);
      expect(expected).toMatchObject({ scopes: single!.scopes, metadata: single!.metadata, expires_at: '2031-06-07T08:09:10.123+00:00' });
      expect(await storedRow(tx, first!.id)).toEqual(expected);
      expect(await storedRow(tx, second!.id)).toEqual(expected);
    });
  });

  it('prepares the batch INSERT once per connection, whatever the number of tokens', async () => {
    const prepared = await db.tenant(tenantId, async (tx) => {
      for (const size of [1, 3, 2]) {
        const batch = tokenInserts(Array.from({ length: size }, (_, i) => token(`tok_rows_n${size}_${i}_${randomBytes(4).toString('hex')}`)));
        await tx.rows(batch.sql, batch.params, { prepare: batch.fixedText === true });
      }
      return tx.rows<{ name: string }>(`SELECT name FROM pg_prepared_statements WHERE statement LIKE '%jsonb_populate_recordset%'`);
    });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.name).toMatch(/^custos_/);
  });

  it('prepares no more than 256 texts: a caller that builds the text from its values gets unnamed statements past that', async () => {
    const counted = await db.tenant(tenantId, async (tx) => {
      for (let i = 0; i < 300; i++) await tx.rows(`SELECT $1::int + ${i} AS n`, [1], { prepare: true });
      return tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + %'`);
    });
    expect(counted!.n).toBeLessThanOrEqual(256);
    expect(counted!.n).toBeGreaterThan(200);
  });
});
