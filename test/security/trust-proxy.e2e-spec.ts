import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/usage-records.js';

const CHAT = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

/** Wrong passwords for fresh usernames, each from the address the client claims, until 429. */
async function guessesUntilLocked(sut: TestApp, claimed: (attempt: number) => string): Promise<number> {
  for (let attempt = 1; attempt <= 30; attempt += 1) {
    const res = await sut
      .http()
      .post('/admin/auth/login')
      .set('X-Forwarded-For', claimed(attempt))
      .send({ username: `user-${attempt}`, password: 'wrong' });
    if (res.status === 429) return attempt;
  }
  return Infinity;
}

describeEachEngine('trusted proxies', (engine) => {
  let mock: MockUpstream;

  beforeAll(async () => {
    mock = await MockUpstream.start();
  });
  afterAll(() => mock.stop());

  async function withApp(env: Record<string, string>, test: (sut: TestApp) => Promise<void>): Promise<void> {
    const sut = await startTestApp({ engine, env });
    try {
      await test(sut);
    } finally {
      await sut.close();
    }
  }

  it('refuses to reset the per-address login limit by rotating X-Forwarded-For from an untrusted hop', async () => {
    // The test client (127.0.0.1) is not among the trusted proxies here, like any client on a
    // private network is not by default.
    await withApp({ TRUST_PROXY: '10.0.0.0/8' }, async (sut) => {
      expect(await guessesUntilLocked(sut, (attempt) => `192.168.7.${attempt}`)).toBe(21);
    });
    await withApp({ TRUST_PROXY: 'false' }, async (sut) => {
      expect(await guessesUntilLocked(sut, (attempt) => `10.1.1.${attempt}`)).toBe(21);
    });
  }, 90_000);

  it('refuses a client-prepended X-Forwarded-For entry behind a trusted proxy (only the hop the proxy saw counts)', async () => {
    await withApp({}, async (sut) => {
      const attempts = await guessesUntilLocked(sut, (attempt) => `203.0.113.${attempt}, 198.51.100.77`);
      expect(attempts).toBe(21);
      // A different real client behind the same proxy is not locked out.
      await sut
        .http()
        .post('/admin/auth/login')
        .set('X-Forwarded-For', '198.51.100.78')
        .send({ username: 'user-1', password: 'wrong' })
        .expect(401);
    });
  }, 60_000);

  it('records the client address the same way on /v1 (X-Forwarded-For only from a trusted hop)', async () => {
    for (const [trustProxy, expected] of [
      ['loopback', '198.51.100.9'],
      ['false', '127.0.0.1'],
    ]) {
      await withApp({ TRUST_PROXY: trustProxy }, async (sut) => {
        const gw = await GatewayFixture.for(sut);
        await gw.createGroup({
          groupName: 'trust',
          baseUrl: mock.baseUrl,
          apiKeys: ['sk-upstream-trust'],
          models: ['gpt-4o-mini'],
        });
        const { key } = await gw.createProxyKey();
        await sut
          .http()
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${key}`)
          .set('X-Forwarded-For', '198.51.100.9')
          .send(CHAT)
          .expect(200);
        let clientIp: unknown;
        await waitFor(
          async () => {
            const logs = await gw.admin().get('/admin/logs').expect(200);
            clientIp = logs.body.items[0]?.clientIp;
            return clientIp !== undefined;
          },
          10_000,
          'the request log row',
        );
        expect(clientIp).toMatch(new RegExp(`(^|:)${expected.replace(/\./g, '\\.')}$`));
      });
    }
  });
});
