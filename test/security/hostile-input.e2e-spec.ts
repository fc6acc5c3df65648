import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';

/** `levels` nested objects around `inner`, as raw JSON text (never built as an object here). */
const nested = (levels: number, inner = '1') => `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}`;
// About 0.6 MB of nesting: enough to overflow any recursive walk of the parsed value.
const DEEP = nested(120_000);

describeEachEngine('hostile input', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  let proxyKey: string;

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({ engine });
    gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'hostile',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-upstream-hostile'],
      models: ['gpt-4o-mini'],
    });
    proxyKey = (await gw.createProxyKey()).key;
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  const raw = (method: 'post' | 'put', path: string, body: string, token?: string) => {
    const req = sut.http()[method](path).set('Content-Type', 'application/json');
    if (token) req.set('Authorization', `Bearer ${token}`);
    return req.send(body);
  };

  it('refuses 0.6 MB of nested JSON on /v1 with 400 in the OpenAI error shape', async () => {
    const res = await raw('post', '/v1/chat/completions', DEEP, proxyKey).expect(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    expect(res.body.error.message).toContain('64');
  });

  it('refuses nested JSON on the public login route with 400 in the admin shape', async () => {
    const res = await raw('post', '/admin/auth/login', DEEP).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      message: expect.stringContaining('64'),
      requestId: expect.any(String),
    });
  });

  it('refuses nested JSON on /admin and /api with 400 in their shapes', async () => {
    const token = await sut.login();
    const admin = await raw('post', '/admin/groups', DEEP, token).expect(400);
    expect(admin.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('64') });
    const api = await raw('put', '/api/health-check/config', DEEP, token).expect(400);
    expect(api.body).toEqual({ code: 400, message: expect.stringContaining('64') });
  });

  it('accepts JSON nested up to 64 levels (the limit is not off by one)', async () => {
    const chatAt = (levels: number) =>
      `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"metadata":${nested(levels, '"x"')}}`;
    await raw('post', '/v1/chat/completions', chatAt(63), proxyKey).expect(200); // 64 levels
    await raw('post', '/v1/chat/completions', chatAt(64), proxyKey).expect(400); // 65 levels
    // 64 levels reach validation (which refuses the unknown field); 65 are refused for depth.
    const loginAt = (levels: number) =>
      raw('post', '/admin/auth/login', `{"username":"admin","password":"x","n":${nested(levels)}}`);
    const atLimit = await loginAt(63).expect(400);
    expect(atLimit.body.message).not.toContain('deeper');
    const overLimit = await loginAt(64).expect(400);
    expect(overLimit.body.message).toContain('deeper than 64');
  });

  it('answers GET /v1/models/%ZZ (bad percent-encoding) with 400, not 500', async () => {
    const res = await sut.http().get('/v1/models/%ZZ').set('Authorization', `Bearer ${proxyKey}`).expect(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error' });
    await sut.http().get('/v1/models/%ZZ').expect(401); // the key is checked first
  });

  it.each([
    '/admin/logs?page=99999999999999999999',
    '/admin/logs?pageSize=1000000000',
    '/admin/logs?groupId=99999999999999999999',
    '/admin/logs?proxyKeyId=4294967296',
    '/admin/audit-logs?page=99999999999999999999',
    '/admin/failover-events?page=99999999999999999999',
    '/admin/failover-events?keyId=1e30',
    '/admin/logs?page=-1',
    '/admin/logs?page=1.5',
  ])('answers an out-of-range number in %s with 400, not 500', async (path) => {
    const token = await sut.login();
    const res = await sut.http().get(path).set('Authorization', `Bearer ${token}`).expect(400);
    expect(res.body.statusCode).toBe(400);
  });

  it('still serves the last allowed page', async () => {
    const token = await sut.login();
    await sut
      .http()
      .get('/admin/logs?page=1000000&pageSize=200')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    await sut
      .http()
      .get('/admin/audit-logs?page=1000000&pageSize=200')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
  });

  it('answers an out-of-range id in the path with 400 or 404, not 500', async () => {
    const token = await sut.login();
    for (const path of [
      '/admin/groups/99999999999999999999',
      '/admin/proxy-keys/99999999999999999999',
      '/api/providers/health/99999999999999999999',
    ]) {
      const res = await sut.http().get(path).set('Authorization', `Bearer ${token}`);
      expect([400, 404]).toContain(res.status);
    }
  });
});
