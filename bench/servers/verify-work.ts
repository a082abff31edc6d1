import { randomBytes } from 'node:crypto';
import { VerifyCode } from '@custos/contracts';
import { SecretMatcher, TokenHasher } from '@custos/crypto';
import { IpAllowList, evaluateToken, missingScopes, parseToken, type VerifiableToken } from '@custos/domain';

/**
 * The api's verify work done in memory, for the baseline servers: the bearer service key is parsed,
 * looked up in a Map and HMAC-checked, then the presented token the same way, then the same rules
 * (evaluateToken) and a usage count. The tokens come from BENCH_VERIFY_TOKENS. As in the api (SecretMatcher),
 * a secret already matched is recognised again by its SHA-256, without the HMAC.
 */
interface Snapshot extends VerifiableToken {
  id: string;
  tenantId: string;
  secretHash: string;
  pepperId: string;
}

export interface VerifyBody {
  token: string;
  scopes?: string[];
  context?: { ip?: string };
}

export type VerifyAnswer = { status: 200 | 401 | 403; body: object };

export function verifyWork(): (authorization: string | undefined, body: VerifyBody, ip: string | undefined) => VerifyAnswer {
  const tokens = JSON.parse(process.env.BENCH_VERIFY_TOKENS ?? '[]') as Array<{ raw: string; scopes: string[] }>;
  const hasher = new TokenHasher({ id: 'bench', secret: randomBytes(32).toString('base64url') });
  const secrets = new SecretMatcher(hasher);
  const snapshots = new Map<string, Snapshot>();
  for (const [i, token] of tokens.entries()) {
    const parsed = parseToken(token.raw);
    if (!parsed) throw new Error('BENCH_VERIFY_TOKENS holds a malformed token');
    const { hash, pepperId } = hasher.hash(parsed.raw);
    snapshots.set(parsed.lookupId, {
      id: `tok_bench${i}`,
      tenantId: 'ten_bench',
      secretHash: hash,
      pepperId,
      status: 'active',
      expiresAt: new Date(Date.now() + 3600_000),
      graceEndsAt: null,
      notBefore: null,
      scopes: token.scopes,
      allowList: new IpAllowList([]),
      remainingUses: null,
    });
  }
  const uses = new Map<string, number>();
  const lookup = (raw: string): Snapshot | null => {
    const parsed = parseToken(raw);
    if (!parsed) return null;
    const snapshot = snapshots.get(parsed.lookupId);
    return snapshot && secrets.matches(parsed.raw, snapshot) ? snapshot : null;
  };

  return (authorization, body, ip) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const key = match ? lookup(match[1]!) : null;
    const now = new Date();
    if (!key || evaluateToken(key, { requiredScopes: [], ip, now }) !== VerifyCode.VALID) {
      return { status: 401, body: { status: 401, code: 'UNAUTHENTICATED' } };
    }
    uses.set(key.id, (uses.get(key.id) ?? 0) + 1);
    if (missingScopes(['custos:tokens:verify'], key.scopes).length > 0) return { status: 403, body: { status: 403, code: 'FORBIDDEN' } };
    const token = typeof body.token === 'string' ? lookup(body.token) : null;
    if (!token || token.tenantId !== key.tenantId) return { status: 200, body: { valid: false, code: VerifyCode.NOT_FOUND } };
    const code = evaluateToken(token, { requiredScopes: body.scopes ?? [], ip: body.context?.ip, now });
    if (code === VerifyCode.VALID) uses.set(token.id, (uses.get(token.id) ?? 0) + 1);
    return {
      status: 200,
      body: {
        valid: code === VerifyCode.VALID,
        code,
        tokenId: token.id,
        ownerServiceId: null,
        scopes: token.scopes,
        expiresAt: token.expiresAt.toISOString(),
        remainingUses: token.remainingUses,
      },
    };
  };
}
