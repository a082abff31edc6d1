import { parseArgs } from 'node:util';
import { createClient, followEvents, type CustosRestClient, type components } from '@custos/node';
import { connectionOf, type Connection } from './connection';
import { fields, table } from './table';

type Token = components['schemas']['TokenResponse'];

export const SERVICE_USAGE = `       custos tokens issue --name <name> --scope <scope>... --expires-in <seconds> [--service <id>] [--environment live|test] [--json]
       custos tokens list [--status <status>]... [--search <text>] [--limit <n>] [--json]
       custos tokens show <id> [--json]
       custos tokens rotate <id> [--grace <seconds>] [--json]
       custos tokens revoke <id> --reason <text> [--json]
       custos verify [--scope <scope>]... [--ip <address>] [--json]      (the token to verify on stdin)
       custos events tail [--json]

These talk to a Custos server: --url <url> or CUSTOS_URL (default http://localhost:3000), and a service
key from CUSTOS_API_KEY or --key-file <file> (never on the command line). --json prints what the API
answered, one JSON document (events tail: one a line), for scripts.`;

/** What a command needs of the world: its streams and environment, so that tests can drive it. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  stdinIsTty: boolean;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user asks to stop (Ctrl-C), for commands that run until then; asked for by those only. */
  untilInterrupted: () => Promise<void>;
}

export class ServiceUsageError extends Error {}

/** A refusal of the API, as its problem+json tells it. */
class Refused extends Error {}

export const SERVICE_GROUPS = new Set(['tokens', 'verify', 'events']);

const OPTIONS = {
  url: { type: 'string' },
  'key-file': { type: 'string' },
  json: { type: 'boolean' },
  name: { type: 'string' },
  scope: { type: 'string', multiple: true },
  'expires-in': { type: 'string' },
  environment: { type: 'string' },
  service: { type: 'string' },
  status: { type: 'string', multiple: true },
  search: { type: 'string' },
  limit: { type: 'string' },
  grace: { type: 'string' },
  reason: { type: 'string' },
  ip: { type: 'string' },
  key: { type: 'string' },
} as const;

/** Runs a command that talks to Custos; its exit code: 0 done, 1 refused (or, for verify, not VALID), 2 could not run. */
export async function runServiceCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.key !== undefined) throw new ServiceUsageError('--key is not taken: a key on the command line is seen by every user of the machine; use CUSTOS_API_KEY or --key-file');
  const connection = await connectionOf({ url: values.url, keyFile: values['key-file'] }, io.env);
  const client = createClient({ baseUrl: connection.baseUrl, serviceKey: connection.serviceKey });
  const [group, action, id, ...extra] = positionals;
  if (extra.length > 0) throw new ServiceUsageError(`unexpected argument ${extra[0]}`);
  const json = values.json ?? false;
  const print = (body: unknown, human: () => string) => io.stdout(json ? JSON.stringify(body, null, 2) : human());
  try {
    if (group === 'verify') {
      if (action !== undefined) throw new ServiceUsageError('verify takes the token on stdin, not as an argument');
      return await verify(client, values, io, json);
    }
    if (group === 'events') {
      if (action !== 'tail') throw new ServiceUsageError(action ? `unknown command: events ${action}` : 'events what? (tail)');
      return await tail(connection, io, json);
    }
    switch (action) {
      case 'issue': {
        if (!values.name) throw new ServiceUsageError('tokens issue needs --name');
        if (!values.scope?.length) throw new ServiceUsageError('tokens issue needs at least one --scope');
        if (values['expires-in'] === undefined) throw new ServiceUsageError('tokens issue needs --expires-in <seconds>: every token ends');
        if (values.environment !== undefined && values.environment !== 'live' && values.environment !== 'test') throw new ServiceUsageError('--environment is live or test');
        const { data, error, response } = await client.POST('/v1/tokens', {
          body: {
            name: values.name,
            scopes: values.scope,
            environment: values.environment === 'test' ? 'test' : 'live',
            expiresInSeconds: wholeNumber(values['expires-in'], '--expires-in'),
            ...(values.service !== undefined ? { ownerServiceId: values.service } : {}),
          },
        });
        if (!data) return refused(io, response, error);
        print(data, () => `${describe(data.token)}\nsecret:     ${data.secret}\n\nThe secret is shown this once: store it now.`);
        return 0;
      }
      case 'list': {
        const query = {
          ...(values.status ? { status: values.status } : {}),
          ...(values.search !== undefined ? { q: values.search } : {}),
          ...(values.limit !== undefined ? { limit: wholeNumber(values.limit, '--limit') } : {}),
        };
        const { data, error, response } = await client.GET('/v1/tokens', { params: { query } });
        if (!data) return refused(io, response, error);
        print(data, () =>
          data.items.length === 0
            ? 'no tokens'
            : table(['id', 'name', 'status', 'scopes', 'expires', 'last used'], data.items.map((t) => [t.id, t.name, t.status, t.scopes.join(','), t.expiresAt, t.lastUsedAt ?? 'never'])) +
              (data.nextCursor ? '\n(more: raise --limit)' : ''),
        );
        return 0;
      }
      case 'show': {
        const { data, error, response } = await client.GET('/v1/tokens/{id}', { params: { path: { id: required(id, 'tokens show <id>') } } });
        if (!data) return refused(io, response, error);
        print(data, () => describe(data));
        return 0;
      }
      case 'rotate': {
        const body = values.grace !== undefined ? { gracePeriodSeconds: wholeNumber(values.grace, '--grace') } : {};
        const { data, error, response } = await client.POST('/v1/tokens/{id}/rotate', { params: { path: { id: required(id, 'tokens rotate <id>') } }, body });
        if (!data) return refused(io, response, error);
        print(data, () =>
          `${describe(data.token)}\nsecret:     ${data.secret}\n\nThe token it replaces stays valid for its grace period. The secret is shown this once: store it now.`,
        );
        return 0;
      }
      case 'revoke': {
        if (!values.reason) throw new ServiceUsageError('tokens revoke needs --reason');
        const { data, error, response } = await client.POST('/v1/tokens/{id}/revoke', { params: { path: { id: required(id, 'tokens revoke <id>') } }, body: { reason: values.reason } });
        if (!data) return refused(io, response, error);
        print(data, () => describe(data));
        return 0;
      }
      case undefined:
        throw new ServiceUsageError('tokens what? (issue, list, show, rotate, revoke)');
      default:
        throw new ServiceUsageError(`unknown command: tokens ${action}`);
    }
  } catch (error) {
    if (error instanceof Refused) return 1;
    throw error;
  }
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
  } catch (error) {
    throw new ServiceUsageError(error instanceof Error ? error.message : String(error));
  }
}

async function verify(client: CustosRestClient, values: { scope?: string[]; ip?: string }, io: Io, json: boolean): Promise<number> {
  if (io.stdinIsTty) throw new ServiceUsageError('pipe the token to verify on stdin (e.g. custos verify < token.txt): a token on the command line is seen by every user of the machine');
  const token = (await io.readStdin()).trim();
  if (!token) throw new ServiceUsageError('no token on stdin');
  const { data, error, response } = await client.POST('/v1/verify', {
    body: { token, ...(values.scope?.length ? { scopes: values.scope } : {}), ...(values.ip ? { context: { ip: values.ip } } : {}) },
  });
  if (!data) return refused(io, response, error);
  io.stdout(json ? JSON.stringify(data, null, 2) : fields([['code', data.code], ...(data.tokenId ? [['token', data.tokenId] as const] : []), ...(data.scopes ? [['scopes', data.scopes.join(', ')] as const] : []), ...(data.expiresAt ? [['expires', data.expiresAt] as const] : [])]));
  return data.valid ? 0 : 1;
}

/** Follows the feed until interrupted: one line per event (heartbeats only with --json). */
async function tail(connection: Connection, io: Io, json: boolean): Promise<number> {
  const follower = followEvents({ ...connection, onError: (error) => io.stderr(`feed: ${error instanceof Error ? error.message : String(error)}; reconnecting`) }, (message) => {
    if (json) {
      io.stdout(JSON.stringify(message));
      return;
    }
    if (message.event === 'heartbeat') return;
    const data = (message.data ?? {}) as Record<string, unknown>;
    const about = typeof data.tokenId === 'string' ? `${data.tokenId} (${String(data.lookupId)})` : '';
    io.stdout(`${String(data.at ?? new Date().toISOString())}  ${message.event.padEnd(6)} ${String(data.kind ?? '').padEnd(17)} ${about}`.trimEnd());
  });
  await io.untilInterrupted();
  await follower.close();
  return 0;
}

function describe(token: Token): string {
  return fields([
    ['id', token.id],
    ['name', token.name],
    ['status', token.status],
    ['scopes', token.scopes.join(', ')],
    ['expires', token.expiresAt],
    ['last used', token.lastUsedAt ?? 'never'],
    ...(token.revokedReason ? [['revoked', `${token.revokedAt ?? ''} (${token.revokedReason})`] as const] : []),
  ]);
}

function refused(io: Io, response: Response, error: unknown): never {
  const problem = (error ?? {}) as { title?: string; detail?: string; code?: string; errors?: Array<{ field: string; message: string }> };
  io.stderr(`error: ${response.status} ${problem.code ?? ''} ${problem.detail ?? problem.title ?? response.statusText}`.replace(/\s+/g, ' ').trim());
  for (const e of problem.errors ?? []) io.stderr(`  ${e.field}: ${e.message}`);
  throw new Refused();
}

function required(value: string | undefined, usage: string): string {
  if (!value) throw new ServiceUsageError(`usage: custos ${usage}`);
  return value;
}

function wholeNumber(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ServiceUsageError(`${option} must be a whole number`);
  return n;
}
