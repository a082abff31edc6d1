import { describe, expect, it, jest } from '@jest/globals';
import { createCustosClient, type Schemas } from '@custos/api-client';
import { stepUpMiddleware } from './step-up';

const STEP_UP = { type: '/problems/step-up-required', title: 'Step-up required', status: 403, code: 'STEP_UP_REQUIRED', detail: 'Confirm with a code.' };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A client over a fake API that answers the given responses in turn, recording what it was sent. */
function clientAnswering(...answers: Response[]) {
  const sent: Array<{ method: string; url: string; body: string; csrf: string | null }> = [];
  // Like a browser's fetch, it refuses to be called as a method of something else.
  const fetch = async function (this: unknown, request: Request) {
    if (this !== undefined && this !== globalThis) throw new TypeError("Failed to execute 'fetch': Illegal invocation");
    sent.push({ method: request.method, url: request.url, body: await request.text(), csrf: request.headers.get('X-CSRF-Token') });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next;
  };
  const client = createCustosClient({ baseUrl: 'http://custos.test', csrfToken: () => 'csrf-1', fetch });
  return { client, sent };
}

const ISSUE: Schemas['IssueTokenDto'] = { name: 'ops key', environment: 'live', scopes: ['custos:tokens:read'] };

describe('stepUpMiddleware', () => {
  it('asks for a code on STEP_UP_REQUIRED and sends the same request again, once', async () => {
    const { client, sent } = clientAnswering(json(403, STEP_UP), json(201, { token: { id: 'tok_1' }, secret: 'cus_x' }));
    const ask = jest.fn(() => Promise.resolve(true));
    client.use(stepUpMiddleware(ask));
    const result = await client.POST('/v1/tokens', { body: ISSUE });
    expect(ask).toHaveBeenCalledTimes(1);
    expect(result.response.status).toBe(201);
    expect(result.data).toEqual({ token: { id: 'tok_1' }, secret: 'cus_x' });
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(JSON.parse(sent[1]!.body)).toEqual(ISSUE);
    expect(sent[1]!.csrf).toBe('csrf-1');
  });

  it('answers the refusal when the person cancels', async () => {
    const { client, sent } = clientAnswering(json(403, STEP_UP));
    client.use(stepUpMiddleware(() => Promise.resolve(false)));
    const result = await client.POST('/v1/tokens', { body: ISSUE });
    expect(result.response.status).toBe(403);
    expect(result.error).toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(sent).toHaveLength(1);
  });

  it('does not ask twice when the retry is refused again', async () => {
    const { client, sent } = clientAnswering(json(403, STEP_UP), json(403, STEP_UP));
    const ask = jest.fn(() => Promise.resolve(true));
    client.use(stepUpMiddleware(ask));
    const result = await client.POST('/v1/tokens', { body: ISSUE });
    expect(result.error).toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(ask).toHaveBeenCalledTimes(1);
    expect(sent).toHaveLength(2);
  });

  it('leaves other refusals and reads alone', async () => {
    const { client } = clientAnswering(json(403, { ...STEP_UP, code: 'FORBIDDEN' }), json(403, STEP_UP));
    const ask = jest.fn(() => Promise.resolve(true));
    client.use(stepUpMiddleware(ask));
    expect((await client.POST('/v1/tokens', { body: ISSUE })).error).toMatchObject({ code: 'FORBIDDEN' });
    expect((await client.GET('/v1/policy')).error).toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(ask).not.toHaveBeenCalled();
  });
});
