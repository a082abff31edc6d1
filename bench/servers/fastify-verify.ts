import { randomBytes } from 'node:crypto';
import { VerifyCode } from '@custos/contracts';
import { TokenHasher } from '@custos/crypto';
import { IpAllowList, evaluateToken, missingScopes, parseToken, type VerifiableToken } from '@custos/domain';
import Fastify from 'fastify';
import { serve } from './serve';

/**
 * Baseline 2: the api's verify work done in memory on a bare Fastify route, without Nest: the bearer
 * service key is parsed, looked up in a Map and HMAC-checked, then the presented token the same way,
 * then the same rules (evaluateToken) and a usage count. What the api spends beyond this is framework.
 */
interface Snapshot extends VerifiableToken {
  id: string;
  tenantId: string;
  secretHash: string;
  pepperId: string;
}

interface VerifyBody {
  token: string;
  scopes?: string[];
  context?: { ip?: string };
}

const tokens = JSON.parse(process.env.BENCH_VERIFY_TOKENS ?? '[]') as Array<{ raw: string; scopes: string[] }>;
const hasher = new TokenHasher({ id: 'bench', secret: randomBytes(32).toString('base64url') });
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

function lookup(raw: string): Snapshot | null {
  const parsed = parseToken(raw);
  if (!parsed) return null;
  const snapshot = snapshots.get(parsed.lookupId);
  return snapshot && hasher.matches(parsed.raw, snapshot.secretHash, snapshot.pepperId) ? snapshot : null;
}

const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));
app.post<{ Body: VerifyBody }>(
  '/v1/verify',
  {
    schema: {
      body: {
        type: 'object',
        required: ['token'],
        properties: {
          token: { type: 'string', maxLength: 512 },
          scopes: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 128 } },
          context: { type: 'object', properties: { ip: { type: 'string' } } },
        },
      },
    },
  },
  async (request, reply) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const key = match ? lookup(match[1]!) : null;
    const now = new Date();
    if (!key || evaluateToken(key, { requiredScopes: [], ip: request.ip, now }) !== VerifyCode.VALID) {
      return reply.code(401).send({ status: 401, code: 'UNAUTHENTICATED' });
    }
    uses.set(key.id, (uses.get(key.id) ?? 0) + 1);
    if (missingScopes(['custos:tokens:verify'], key.scopes).length > 0) {
      return reply.code(403).send({ status: 403, code: 'FORBIDDEN' });
    }
    const token = lookup(request.body.token);
    if (!token || token.tenantId !== key.tenantId) return { valid: false, code: VerifyCode.NOT_FOUND };
    const code = evaluateToken(token, { requiredScopes: request.body.scopes ?? [], ip: request.body.context?.ip, now });
    if (code === VerifyCode.VALID) uses.set(token.id, (uses.get(token.id) ?? 0) + 1);
    return {
      valid: code === VerifyCode.VALID,
      code,
      tokenId: token.id,
      ownerServiceId: null,
      scopes: token.scopes,
      expiresAt: token.expiresAt.toISOString(),
      remainingUses: token.remainingUses,
    };
  },
);
serve(app);
