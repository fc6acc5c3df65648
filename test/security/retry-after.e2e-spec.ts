import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';

const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hello' }] });

// An upstream's Retry-After is passed to clients capped by RATE_LIMIT_MAX_COOLDOWN_MS (5 s here),
// always as delay-seconds: a day-long value cannot park every client, a date cannot confuse them.
describe('Retry-After passed to clients', () => {
  let sut: TestApp;
  let mock: MockUpstream;
  let proxyKey: string;

  const send = (model: string) =>
    sut.http().post('/v1/chat/completions').set('Authorization', `Bearer ${proxyKey}`).send(chat(model));

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({
      engine: 'sqlite',
      env: { RATE_LIMIT_MAX_COOLDOWN_MS: '5000', RETRY_AFTER_MAX_WAIT_MS: '0' },
    });
    const gw = await GatewayFixture.for(sut);
    for (const name of ['day', 'date'])
      await gw.createGroup({
        groupName: `g-${name}`,
        baseUrl: mock.baseUrl,
        apiKeys: [`upstream-${name}-key-0001`],
        models: [`m-${name}`],
        retryCount: 0,
      });
    proxyKey = (await gw.createProxyKey({ name: 'retry-after' })).key;
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  it('caps an upstream Retry-After of a day at RATE_LIMIT_MAX_COOLDOWN_MS', async () => {
    mock.script('*', { kind: 'status', status: 429, headers: { 'retry-after': '86400' } });
    const res = await send('m-day').expect(429);
    expect(res.body.error.code).toBe('upstream_rate_limited');
    expect(res.headers['retry-after']).toBe('5');
  });

  it('converts an HTTP-date Retry-After to seconds', async () => {
    const at = new Date(Date.now() + 3000).toUTCString();
    mock.script('*', { kind: 'status', status: 429, headers: { 'retry-after': at } });
    const res = await send('m-date').expect(429);
    const seconds = Number(res.headers['retry-after']);
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(5);
  });
});
