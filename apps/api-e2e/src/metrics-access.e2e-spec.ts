import { randomBytes } from 'node:crypto';
import { ApiClient, startApi, type RunningApi } from '@custos/testing';

/** /metrics is open by default (restrict it at the network) and wants a bearer token when one is configured. */
describe('/metrics access', () => {
  const token = randomBytes(32).toString('base64url');
  let guarded: RunningApi;

  beforeAll(async () => {
    guarded = await startApi({ CUSTOS_METRICS_TOKEN: token });
  });
  afterAll(async () => {
    await guarded?.stop();
  });

  const scrape = (url: string, headers: Record<string, string> = {}) => new ApiClient(url).request('GET', '/metrics', undefined, headers);

  it('answers anyone when no CUSTOS_METRICS_TOKEN is set', async () => {
    const res = await scrape(ApiClient.fromEnv().baseUrl);
    expect(res.status).toBe(200);
    expect(String(res.body)).toMatch(/^custos_redis_up /m);
  });

  it("reports this instance's usage writer: events written and dropped, and its lag", async () => {
    const body = String((await scrape(ApiClient.fromEnv().baseUrl)).body);
    expect(body).toMatch(/^custos_usage_events_written_total \d+$/m);
    expect(body).toMatch(/^custos_usage_events_dropped_total \d+$/m);
    expect(body).toMatch(/^custos_usage_writer_lag_seconds \d+(\.\d+)?$/m);
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: `Bearer ${randomBytes(32).toString('base64url')}` }],
    ['the token under another scheme', { authorization: `Basic ${token}` }],
    ['the token without a scheme', { authorization: token }],
  ])('answers 401 problem+json to %s when the token is set', async (_label, headers) => {
    const res = await scrape(guarded.url, headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(JSON.stringify(res.body)).not.toContain(token);
  });

  it('answers the scrape with the token', async () => {
    const res = await scrape(guarded.url, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(String(res.body)).toMatch(/^custos_redis_up /m);
  });
});
