import {
  CHECKPOINT_JWS_TYPE,
  ErrorCode,
  type BundleCheckpointLine,
  type BundleEventLine,
  type BundleHeaderLine,
  type BundleJwksLine,
  type BundleLine,
} from '@custos/contracts';
import { verifyJws } from '@custos/crypto';
import { ChainVerifier, GENESIS_HASH, checkpointSignatureProblem, type ChainVerdict } from '@custos/domain';
import { createTenant, storedAuditEvents, testSecretBox, useMediumDatabase } from '@custos/fixtures';
import { AuditChainRepository, AuditEventRepository, SigningKeyRepository } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { AuditCheckpoints } from './audit-checkpoints';
import { AuditExport, type AuditBundle } from './audit-export';
import { AuditLog, SYSTEM_ACTOR } from './audit-log';
import { AuditSealer } from './audit-sealer';
import { SigningKeys } from './signing-keys';

const META = { requestId: 'req_export', ip: null };
const auditor = (tenantId: string, scopes = ['custos:audit:read', 'custos:audit:checkpoint']): Principal => ({
  tenantId,
  kind: 'user',
  id: 'usr_auditor',
  email: null,
  name: null,
  scopes,
  role: 'owner',
  ownerServiceId: null,
  sessionId: null,
});

interface ReadBundle {
  header: BundleHeaderLine;
  events: BundleEventLine[];
  checkpoints: BundleCheckpointLine[];
  jwks: BundleJwksLine;
}

async function read(bundle: AuditBundle): Promise<ReadBundle> {
  let text = '';
  for await (const chunk of bundle.chunks()) text += chunk;
  const lines = text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as BundleLine);
  return {
    header: lines[0] as BundleHeaderLine,
    events: lines.filter((l): l is BundleEventLine => l.type === 'event'),
    checkpoints: lines.filter((l): l is BundleCheckpointLine => l.type === 'checkpoint'),
    jwks: lines[lines.length - 1] as BundleJwksLine,
  };
}

/**
 * What an auditor checks offline (docs/audit-chain.md, "without Custos"): the events chain on from the
 * header's prevHash, every checkpoint's JWS verifies with the bundle's JWKS and signs exactly its line
 * and the event at its seq, and a checkpoint signs the last event.
 */
async function auditorVerdict({ header, events, checkpoints, jwks }: ReadBundle): Promise<{ chain: ChainVerdict; problems: string[]; endsSigned: boolean }> {
  const verifier = new ChainVerifier({ seq: header.firstSeq! - 1, hash: header.prevHash! });
  for (const event of events) verifier.add(event);
  const problems: string[] = [];
  let prev: string | null = null;
  for (const checkpoint of checkpoints) {
    const { id, seq, hash, at, jws } = checkpoint;
    const signed = await verifyJws(jws, jwks, CHECKPOINT_JWS_TYPE);
    const problem = checkpointSignatureProblem(signed, { id, tenantId: header.tenantId, seq, hash, at, prev: checkpoint.prev }, 'the bundle');
    if (problem) problems.push(`${id}: ${problem}`);
    if (prev !== null && checkpoint.prev !== prev) problems.push(`${id}: prev ${checkpoint.prev} is not ${prev}`);
    if (events.find((e) => e.seq === seq)?.hash !== hash) problems.push(`${id}: signs another hash than event ${seq}'s`);
    prev = id;
  }
  return { chain: verifier.verdict(), problems, endsSigned: checkpoints[checkpoints.length - 1]?.seq === header.lastSeq };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

/** AuditExport on the real database: a bundle is one unbroken piece of the chain that ends on a signature. */
describe('AuditExport', () => {
  const db = useMediumDatabase(6);
  const chain = new AuditChainRepository();
  const events = new AuditEventRepository();
  const sealer = new AuditSealer(db, chain, events);
  const audit = new AuditLog(sealer, events, chain);
  const keys = new SigningKeys(db, audit, testSecretBox(), new SigningKeyRepository());
  const checkpoints = new AuditCheckpoints(db, audit, sealer, keys, chain);
  const exporter = new AuditExport(db, audit, sealer, keys, checkpoints, chain, events);

  afterEach(() => sealer.drain());

  async function tenantWith(n: number): Promise<string> {
    const tenantId = await createTenant(db);
    await issue(tenantId, n, 'tok_a');
    return tenantId;
  }

  async function issue(tenantId: string, n: number, prefix: string): Promise<void> {
    await db.tenant(tenantId, (tx) =>
      audit.record(tx, META, ...Array.from({ length: n }, (_, i) => ({ action: 'token.issued' as const, actor: SYSTEM_ACTOR, target: { type: 'token', id: `${prefix}${i}` } }))),
    );
    await sealer.drain();
  }

  it('exports the whole chain up to a checkpoint it signs over the head, which the auditor verifies', async () => {
    const tenantId = await tenantWith(4);
    const bundle = await exporter.open(auditor(tenantId), {}, META);
    const lines = await read(bundle);
    expect(lines.header).toMatchObject({ tenantId, from: null, to: null, prevHash: GENESIS_HASH, firstSeq: 1, lastSeq: 4 });
    expect(bundle.filename).toBe(`custos-audit-${tenantId}-1-4.jsonl`);
    expect(lines.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(lines.checkpoints.map((c) => c.seq)).toEqual([4]);
    expect(lines.jwks.keys).toHaveLength(1);
    expect(await auditorVerdict(lines)).toEqual({
      chain: expect.objectContaining({ valid: true, checkedEvents: 4, headSeq: 4 }),
      problems: [],
      endsSigned: true,
    });
    // The export is audited after the checkpoint's own events (its key's, then its own).
    const stored = await storedAuditEvents(db, tenantId);
    expect(stored.map((e) => [e.seq, e.action])).toEqual([
      [1, 'token.issued'],
      [2, 'token.issued'],
      [3, 'token.issued'],
      [4, 'token.issued'],
      [5, 'signing_key.created'],
      [6, 'audit.checkpoint_signed'],
      [7, 'audit.exported'],
    ]);
    expect(stored[6]!.data).toEqual({ from: null, to: null, firstSeq: 1, lastSeq: 4, checkpointId: lines.checkpoints[0]!.id });
  });

  it('runs a period in the past on to the first checkpoint after it, signing none, and starts at from', async () => {
    const tenantId = await tenantWith(3);
    await checkpoints.sign(auditor(tenantId), META); // over 3; its events 4, 5
    await pause();
    const from = new Date();
    await pause();
    await issue(tenantId, 2, 'tok_b'); // 6, 7
    await pause();
    const to = new Date();
    await pause();
    await issue(tenantId, 2, 'tok_c'); // 8, 9
    const later = await checkpoints.sign(auditor(tenantId), META); // over 9; its event 10

    const bounded = await read(await exporter.open(auditor(tenantId), { from, to }, META));
    expect(bounded.header).toMatchObject({ from: from.toISOString(), to: to.toISOString(), firstSeq: 6, lastSeq: 9, prevHash: expect.any(String) });
    expect(bounded.events.map((e) => e.seq)).toEqual([6, 7, 8, 9]);
    expect(bounded.checkpoints.map((c) => c.id)).toEqual([later.id]);
    expect(await auditorVerdict(bounded)).toMatchObject({ chain: { valid: true, checkedEvents: 4 }, problems: [], endsSigned: true });
    expect((await storedAuditEvents(db, tenantId)).pop()).toMatchObject({
      seq: 11,
      action: 'audit.exported',
      data: { firstSeq: 6, lastSeq: 9, checkpointId: null },
    });

    // From the start: both checkpoints, linked.
    const untilTo = await read(await exporter.open(auditor(tenantId), { to }, META));
    expect(untilTo.header).toMatchObject({ firstSeq: 1, lastSeq: 9, prevHash: GENESIS_HASH });
    expect(untilTo.checkpoints.map((c) => c.seq)).toEqual([3, 9]);
    expect(await auditorVerdict(untilTo)).toMatchObject({ chain: { valid: true, checkedEvents: 9 }, problems: [], endsSigned: true });
  });

  it('exports an empty period as a header and the JWKS, and audits that too', async () => {
    const tenantId = await tenantWith(2);
    const future = new Date(Date.now() + 60_000);
    const empty = await read(await exporter.open(auditor(tenantId), { from: future }, META));
    expect(empty.header).toMatchObject({ prevHash: null, firstSeq: null, lastSeq: null });
    expect(empty.events).toEqual([]);
    expect(empty.checkpoints).toEqual([]);
    expect(empty.jwks).toEqual({ type: 'jwks', keys: [] });
    expect((await storedAuditEvents(db, tenantId)).pop()).toMatchObject({ seq: 3, action: 'audit.exported', data: { firstSeq: null, checkpointId: null } });
  });

  it("needs the audit read scope and a period that ends after it starts, and sees only the caller's tenant", async () => {
    const tenantId = await tenantWith(2);
    await expect(exporter.open(auditor(tenantId, ['custos:tokens:read']), {}, META)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    const at = new Date();
    await expect(exporter.open(auditor(tenantId), { from: at, to: at }, META)).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    const other = await tenantWith(1);
    const otherBundle = await read(await exporter.open(auditor(other), {}, META));
    expect(otherBundle.events.map((e) => [e.tenantId, e.seq])).toEqual([[other, 1]]);
    expect(otherBundle.jwks.keys.map((k) => k.kid)).not.toContain((await read(await exporter.open(auditor(tenantId), {}, META))).jwks.keys[0]!.kid);
  });
});
