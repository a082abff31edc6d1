import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_JWS_TYPE } from '@custos/contracts';
import { generateSigningKey, signDetachedJws, type GeneratedSigningKey } from '@custos/crypto';
import { describeReportVerdict, sha256Of, signatureOf, verifyReport } from './report-verifier';

describe('offline check of a downloaded report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custos-report-'));
  const file = join(dir, 'report.pdf');
  const bytes = Buffer.from('%PDF-1.7 a report\n'.repeat(5000));
  let key: GeneratedSigningKey;
  let jws: string;
  const digest = createHash('sha256').update(bytes).digest('hex');

  beforeAll(async () => {
    writeFileSync(file, bytes);
    key = await generateSigningKey();
    jws = await signDetachedJws(key.privateJwk, digest, REPORT_JWS_TYPE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hashes the file as it was downloaded', async () => {
    expect(await sha256Of(file)).toBe(digest);
  });

  it('accepts the signature as the header value or as the signature endpoint\'s JSON', async () => {
    const jwks = { keys: [key.publicJwk] };
    for (const saved of [jws, `${jws}\n`, JSON.stringify({ reportId: 'rpt_1', sha256: digest, jws, kid: key.kid })]) {
      expect(describeReportVerdict(await verifyReport(digest, signatureOf(saved), jwks))).toBe(`OK sha256 ${digest}, signed with kid ${key.kid}`);
    }
  });

  it('refuses a changed file, another tenant\'s key and a signature that is not one', async () => {
    const changed = createHash('sha256').update(Buffer.concat([bytes, Buffer.from(' ')])).digest('hex');
    expect(describeReportVerdict(await verifyReport(changed, jws, { keys: [key.publicJwk] }))).toMatch(/^FAIL the file's sha256 [0-9a-f]{64}: signature does not verify/);
    const stranger = await generateSigningKey();
    expect(describeReportVerdict(await verifyReport(digest, jws, { keys: [stranger.publicJwk] }))).toBe(
      `FAIL the file's sha256 ${digest}: signature does not verify: no key with kid ${key.kid} in the JWKS`,
    );
    expect((await verifyReport(digest, signatureOf('{"id":1}'), { keys: [key.publicJwk] })).ok).toBe(false);
    expect(describeReportVerdict(await verifyReport(digest, jws, { nope: true }))).toBe('FAIL the JWKS has no keys array');
  });
});
