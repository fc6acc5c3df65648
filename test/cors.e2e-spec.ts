import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { startTestApp, TestApp } from './support/test-app.js';

const ALLOWED = 'https://app.example';

describeEachEngine('CORS_ORIGINS', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let key: string;

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({
      engine,
      env: { CORS_ORIGINS: `${ALLOWED}, https://other.example` },
    });
    const gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'cors',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-upstream-cors'],
      models: ['gpt-4o'],
    });
    key = (await gw.createProxyKey()).key;
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  it('answers a /v1 preflight from an allowed origin', async () => {
    const res = await sut
      .http()
      .options('/v1/chat/completions')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-headers']).toContain('authorization');
    expect(mock.requests).toHaveLength(0);
  });

  it('lets the browser read a /v1 answer and the gateway headers', async () => {
    const res = await sut
      .http()
      .post('/v1/chat/completions')
      .set('Origin', ALLOWED)
      .set('Authorization', `Bearer ${key}`)
      .send({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-expose-headers']).toContain('x-switchyard-backend');
  });

  it('gives other origins nothing, on /v1 and on /admin', async () => {
    const v1 = await sut.http().options('/v1/chat/completions').set('Origin', 'https://evil.example');
    expect(v1.headers['access-control-allow-origin']).toBeUndefined();
    const admin = await sut.http().get('/health/live').set('Origin', 'https://evil.example').expect(200);
    expect(admin.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await sut.http().get('/health/live').set('Origin', ALLOWED).expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
  });
});
