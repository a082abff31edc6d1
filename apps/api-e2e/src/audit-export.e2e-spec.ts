import { CHECKPOINT_JWS_TYPE, type BundleCheckpointLine, type BundleEventLine, type BundleHeaderLine } from '@custos/contracts';
import { verifyJws } from '@custos/crypto';
import {
  ApiClient,
  auditEvents,
  collectPages,
  exportAuditBundle,
  issueToken,
  runCli,
  signCheckpoint,
  signupTenant,
  tempFile,
  tenantJwks,
  verifyAuditChain,
  type CheckpointBody,
  type ExportedBundle,
  type TestTenant,
} from '@custos/testing';

const checkpointIds = (b: ExportedBundle): string[] =>
  b.lines.filter((l): l is BundleCheckpointLine => l.type === 'checkpoint').map((c) => c.id);

/**
 * The audit trail leaves Custos as a bundle an auditor verifies offline with `custos audit verify`,
 * the built CLI run as a separate process: an untouched bundle verifies, and any one event altered,
 * removed or moved, or a JWKS that is not the tenant's, makes it fail at the right sequence number.
 */
describe('audit export, verified offline', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;
  let stranger: TestTenant;
  let bundle: ExportedBundle;
  let bundlePath: string;
  const checkpoints: CheckpointBody[] = [];

  const header = (): BundleHeaderLine => bundle.lines[0] as BundleHeaderLine;
  /** The checkpoint the export signed over its last event. */
  const own = (): BundleCheckpointLine => bundle.lines.filter((l): l is BundleCheckpointLine => l.type === 'checkpoint').at(-1)!;
  const eventLines = (): BundleEventLine[] => bundle.lines.filter((l): l is BundleEventLine => l.type === 'event');
  /** The bundle's text lines; index i + 1 holds event i (after the header). */
  const textLines = (): string[] => bundle.text.trimEnd().split('\n');
  const verifyText = async (lines: readonly string[], ...args: string[]) => runCli(['audit', 'verify', tempFile('bundle.jsonl', `${lines.join('\n')}\n`), ...args]);

  beforeAll(async () => {
    [tenant, stranger] = await Promise.all([signupTenant(api, 'Exported'), signupTenant(api, 'Stranger')]);
    const owner = tenant.owner;
    const first = await issueToken(owner);
    await owner.post(`/v1/tokens/${first.token.id}/revoke`, { reason: 'before the first checkpoint' });
    checkpoints.push(await signCheckpoint(owner));
    const second = await issueToken(owner);
    await owner.patch(`/v1/tokens/${second.token.id}`, { name: 'renamed between checkpoints' });
    checkpoints.push(await signCheckpoint(owner));
    await issueToken(owner, { metadata: { note: 'after the last checkpoint: ünïcødé, "quotes" and \\ backslashes' } });
    await signCheckpoint(stranger.owner);
    bundle = await exportAuditBundle(owner);
    bundlePath = tempFile('bundle.jsonl', bundle.text);
  });

  describe('the bundle', () => {
    it('is a JSON-lines attachment: a header, every event in order, the checkpoints, the JWKS', async () => {
      expect(bundle.headers.get('content-type')).toContain('application/x-ndjson');
      expect(bundle.headers.get('content-disposition')).toBe(
        `attachment; filename="custos-audit-${tenant.tenantId}-1-${header().lastSeq}.jsonl"`,
      );
      const chain = await verifyAuditChain(tenant.owner);
      expect(header()).toMatchObject({ type: 'header', tenantId: tenant.tenantId, prevHash: '0'.repeat(64), firstSeq: 1, from: null, to: null });
      // The export signs the head and ends there: its checkpoint's event and the export's own come after.
      expect(header().lastSeq).toBe(chain.headSeq - 2);
      expect(own()).toMatchObject({ seq: header().lastSeq, prev: checkpoints[1]!.id });
      expect(eventLines().map((e) => e.seq)).toEqual(Array.from({ length: header().lastSeq! }, (_, i) => i + 1));
      expect(bundle.lines.map((l) => l.type)).toEqual([
        'header', ...eventLines().map(() => 'event'), 'checkpoint', 'checkpoint', 'checkpoint', 'jwks',
      ]);
      expect(checkpointIds(bundle)).toEqual([...checkpoints.map((c) => c.id), own().id]);
      expect(bundle.lines[bundle.lines.length - 1]).toEqual({ type: 'jwks', ...(await tenantJwks(tenant.owner)) });
      expect(bundle.text).not.toMatch(/cus_(live|test)_|private_sealed|"d":/);
    });

    it('is itself on the record', async () => {
      const [exported] = await auditEvents(tenant.owner, 'action=audit.exported');
      expect(exported).toMatchObject({
        actorId: tenant.ownerId,
        data: { from: null, to: null, firstSeq: 1, lastSeq: header().lastSeq, checkpointId: own().id },
      });
    });

    it('verifies with `custos audit verify`, and with the JWKS the tenant publishes', async () => {
      const expected = `OK ${header().lastSeq} events, 3 checkpoints\n`;
      expect(await runCli(['audit', 'verify', bundlePath])).toEqual({ code: 0, stdout: expected, stderr: '' });
      const jwksPath = tempFile('jwks.json', JSON.stringify(await tenantJwks(tenant.owner)));
      expect(await runCli(['audit', 'verify', bundlePath, '--jwks', jwksPath])).toMatchObject({ code: 0, stdout: expected });
    });

    it('covers a period from the middle, starting from the hash before it', async () => {
      const events = eventLines();
      const from = events.find((e) => e.action === 'token.revoked')!;
      const to = events.find((e) => e.action === 'token.updated')!;
      const part = await exportAuditBundle(tenant.owner, `from=${encodeURIComponent(from.occurredAt)}&to=${encodeURIComponent(to.occurredAt)}`);
      const partHeader = part.lines[0] as BundleHeaderLine;
      // The period's last event is the one before `to`; the bundle runs on to the checkpoint signed after it.
      expect(checkpoints[1]!.seq).toBe(to.seq);
      expect(partHeader).toMatchObject({ firstSeq: from.seq, lastSeq: to.seq, prevHash: events[from.seq - 2]!.hash, from: from.occurredAt, to: to.occurredAt });
      expect(checkpointIds(part)).toEqual(checkpoints.map((c) => c.id));
      const result = await runCli(['audit', 'verify', tempFile('part.jsonl', part.text)]);
      expect(result).toMatchObject({ code: 0, stdout: `OK ${to.seq - from.seq + 1} events, 2 checkpoints\n` });
    });

    it('refuses a period that ends before it starts', async () => {
      const res = await tenant.owner.get<{ code: string; errors: Array<{ field: string }> }>(
        '/v1/audit-events/export?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'to' }] });
    });
  });

  describe('tampering', () => {
    it('changing one byte of any event fails at that event', async () => {
      const lines = textLines();
      for (const event of eventLines()) {
        const original = lines[event.seq]!;
        for (const at of [Math.floor(original.length / 3), Math.floor((2 * original.length) / 3)]) {
          const altered = [...lines];
          altered[event.seq] = original.slice(0, at) + (original[at] === '0' ? '1' : '0') + original.slice(at + 1);
          const result = await verifyText(altered);
          expect({ at, code: result.code, stdout: result.stdout }).toEqual({ at, code: 1, stdout: expect.stringMatching(new RegExp(`^FAIL seq ${event.seq}: `)) });
        }
      }
    });

    it('deleting one event fails where it is missing', async () => {
      const lines = textLines();
      const seq = Math.ceil(eventLines().length / 2);
      const result = await verifyText(lines.filter((_, i) => i !== seq));
      expect(result).toMatchObject({ code: 1, stdout: `FAIL seq ${seq}: missing (expected ${seq}, found ${seq + 1})\n` });
      const last = eventLines().length;
      const withoutLast = await verifyText(lines.filter((_, i) => i !== last));
      expect(withoutLast).toMatchObject({ code: 1, stdout: expect.stringMatching(new RegExp(`^FAIL seq ${last}: missing`)) });
    });

    it('swapping two events fails at the first one out of place', async () => {
      const lines = textLines();
      const seq = 3;
      [lines[seq], lines[seq + 1]] = [lines[seq + 1]!, lines[seq]!];
      expect(await verifyText(lines)).toMatchObject({ code: 1, stdout: `FAIL seq ${seq}: missing (expected ${seq}, found ${seq + 1})\n` });
    });

    it("another tenant's JWKS, in the bundle or given by path, fails at the first checkpoint", async () => {
      const theirs = await tenantJwks(stranger.owner);
      expect(theirs.keys).toHaveLength(1);
      const expected = `FAIL checkpoint at seq ${checkpoints[0]!.seq}: signature does not verify: no key with kid ${checkpoints[0]!.kid} in the JWKS\n`;
      const lines = textLines();
      lines[lines.length - 1] = JSON.stringify({ type: 'jwks', ...theirs });
      expect(await verifyText(lines)).toMatchObject({ code: 1, stdout: expected });
      const theirPath = tempFile('jwks.json', JSON.stringify(theirs));
      expect(await runCli(['audit', 'verify', bundlePath, '--jwks', theirPath])).toMatchObject({ code: 1, stdout: expected });
    });

    it('a bundle cut short, or not a bundle at all, fails without a stack trace', async () => {
      expect(await verifyText(textLines().slice(0, 3))).toMatchObject({ code: 1, stdout: expect.stringMatching(/^FAIL seq 3: missing/) });
      const notJson = tempFile('notes.txt', 'hello\n');
      expect(await runCli(['audit', 'verify', notJson])).toEqual({ code: 1, stdout: 'FAIL bundle: line 1 is not a header\n', stderr: '' });
      const missing = await runCli(['audit', 'verify', `${notJson}.missing`]);
      expect(missing).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^custos: ENOENT/) });
      expect(await runCli(['audit', 'check'])).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: custos audit verify') });
    });
  });

  describe('every bundle ends on a signature (issue 12, finding 13)', () => {
    let fresh: TestTenant;
    let own: ExportedBundle;
    const lastSeq = (b: ExportedBundle): number => (b.lines[0] as BundleHeaderLine).lastSeq!;

    beforeAll(async () => {
      fresh = await signupTenant(api, 'Never signed');
      await issueToken(fresh.owner);
      own = await exportAuditBundle(fresh.owner);
    });

    it("a new tenant's export carries a checkpoint signed over its last event, and verifies", async () => {
      expect(own.lines.map((l) => l.type)).toEqual(['header', ...Array.from({ length: lastSeq(own) }, () => 'event'), 'checkpoint', 'jwks']);
      const [checkpoint] = own.lines.filter((l): l is BundleCheckpointLine => l.type === 'checkpoint');
      expect(checkpoint).toMatchObject({ seq: lastSeq(own), prev: null });
      expect(await runCli(['audit', 'verify', tempFile('fresh.jsonl', own.text)])).toEqual({ code: 0, stdout: `OK ${lastSeq(own)} events, 1 checkpoints\n`, stderr: '' });
      const [exported] = await auditEvents(fresh.owner, 'action=audit.exported');
      expect(exported).toMatchObject({ data: { firstSeq: 1, lastSeq: lastSeq(own), checkpointId: checkpoint!.id } });
    });

    it('without its checkpoint it fails, unless --allow-unsigned, which says what nothing authenticates', async () => {
      const n = lastSeq(own);
      const unsigned = tempFile('unsigned.jsonl', own.text.split('\n').filter((l) => !l.startsWith('{"type":"checkpoint"')).join('\n'));
      expect(await runCli(['audit', 'verify', unsigned])).toEqual({
        code: 1,
        stdout: `FAIL bundle: has no signed checkpoint over its events, so nothing authenticates them (seq 1-${n}); pass --allow-unsigned to accept them unauthenticated\n`,
        stderr: '',
      });
      expect(await runCli(['audit', 'verify', unsigned, '--allow-unsigned'])).toEqual({
        code: 0,
        stdout: `OK ${n} events, 0 checkpoints; seq 1-${n} not covered by a signed checkpoint (--allow-unsigned)\n`,
        stderr: '',
      });
    });

    it('a period in the past runs on to the first checkpoint at or after its end, so it ends on a signature too', async () => {
      const events = eventLines();
      const to = events.find((e) => e.action === 'token.issued' && e.seq > checkpoints[0]!.seq)!;
      const part = await exportAuditBundle(tenant.owner, `to=${encodeURIComponent(to.occurredAt)}`);
      // The period's last event is the one before `to`; the bundle goes on to the next checkpoint.
      expect(part.lines[0]).toMatchObject({ firstSeq: 1, lastSeq: checkpoints[1]!.seq, to: to.occurredAt });
      expect(checkpointIds(part)).toEqual(checkpoints.map((c) => c.id));
      expect(await runCli(['audit', 'verify', tempFile('past.jsonl', part.text)])).toMatchObject({ code: 0, stdout: `OK ${checkpoints[1]!.seq} events, 2 checkpoints\n` });
    });
  });

  describe('checkpoints', () => {
    it('sign the chain head as it stood, in a JWS the published JWKS verifies, each linked to the one before', async () => {
      const jwks = await tenantJwks(tenant.owner);
      expect(jwks.keys.map((k) => k.kid)).toEqual([checkpoints[0]!.kid]);
      const events = eventLines();
      for (const [i, checkpoint] of checkpoints.entries()) {
        const checked = await verifyJws(checkpoint.jws, jwks, CHECKPOINT_JWS_TYPE);
        expect(checked).toMatchObject({ valid: true, kid: checkpoint.kid });
        expect(JSON.parse((checked as { payload: string }).payload)).toEqual({
          id: checkpoint.id,
          tenantId: tenant.tenantId,
          seq: checkpoint.seq,
          hash: events[checkpoint.seq - 1]!.hash,
          at: checkpoint.at,
          prev: i === 0 ? null : checkpoints[i - 1]!.id,
        });
      }
    });

    it('are on the record right after the head they sign; the first also records the new key', () => {
      const [first, second] = checkpoints;
      const at = (seq: number) => eventLines()[seq - 1]!;
      expect(at(first!.seq + 1)).toMatchObject({ action: 'signing_key.created', targetId: first!.kid, data: { kid: first!.kid, alg: 'ES256' } });
      expect(at(first!.seq + 2)).toMatchObject({
        action: 'audit.checkpoint_signed',
        actorType: 'user',
        actorId: tenant.ownerId,
        targetId: first!.id,
        data: { checkpointId: first!.id, seq: first!.seq, hash: first!.hash, kid: first!.kid },
      });
      expect(at(second!.seq + 1)).toMatchObject({ action: 'audit.checkpoint_signed', targetId: second!.id });
    });

    it('list newest first, keyset-paged', async () => {
      const walked = await collectPages<CheckpointBody>(tenant.owner, '/v1/audit-events/checkpoints', 1);
      expect(walked.items.map((c) => c.id)).toEqual([own().id, ...checkpoints.map((c) => c.id).reverse()]);
      expect(walked.pages).toBe(checkpoints.length + 1);
    });

    it('signed at the same moment, make one key and one straight line of checkpoints', async () => {
      const fresh = await signupTenant(api, 'Concurrent signatures');
      const signed = await Promise.all(Array.from({ length: 5 }, () => signCheckpoint(fresh.owner)));
      expect((await tenantJwks(fresh.owner)).keys).toHaveLength(1);
      const inOrder = [...signed].sort((a, b) => a.seq - b.seq);
      expect(new Set(inOrder.map((c) => c.seq)).size).toBe(signed.length);
      inOrder.forEach((c, i) => expect(c.prev).toBe(i === 0 ? null : inOrder[i - 1]!.id));
      const exported = await exportAuditBundle(fresh.owner);
      const events = exported.lines.filter((l) => l.type === 'event').length;
      const result = await runCli(['audit', 'verify', tempFile('concurrent.jsonl', exported.text)]);
      // The export's own signature over its end makes one more.
      expect(result).toMatchObject({ code: 0, stdout: `OK ${events} events, ${signed.length + 1} checkpoints\n` });
    });

    it('start with a key made on first use: before that the JWKS is empty', async () => {
      const fresh = await signupTenant(api, 'No signature yet');
      expect(await tenantJwks(fresh.owner)).toEqual({ keys: [] });
      const checkpoint = await signCheckpoint(fresh.owner);
      expect(checkpoint).toMatchObject({ seq: 2, prev: null });
      expect((await tenantJwks(fresh.owner)).keys.map((k) => k.kid)).toEqual([checkpoint.kid]);
      const empty = await exportAuditBundle(fresh.owner, `from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
      expect(empty.lines.map((l) => l.type)).toEqual(['header', 'jwks']);
      expect(await runCli(['audit', 'verify', tempFile('empty.jsonl', empty.text)])).toMatchObject({ code: 0, stdout: 'OK 0 events, 0 checkpoints\n' });
    });
  });
});
