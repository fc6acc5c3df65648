import { UsageRecorder } from '../../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';

// Upstream keys that look like nothing the shape patterns know (no `sk-` prefix): only redaction
// by value can catch them when an upstream echoes them.
const UPSTREAM_KEY_A = 'canaryKeyAlpha7Q2w9Xz41';
const UPSTREAM_KEY_B = 'canaryKeyBravo3M8v6Rt07';

describeEachEngine('known secrets redacted by value', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  let proxyKey: { id: number; key: string };
  let groupId: number;

  const send = (content = 'hello') =>
    sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${proxyKey.key}`)
      .send({ model: 'm-echo', messages: [{ role: 'user', content }] });
  const storedRows = async () => {
    await sut.app.get(UsageRecorder).flush();
    const list = await gw.admin().get(`/admin/logs?proxyKeyId=${proxyKey.id}&pageSize=100`).expect(200);
    const details = await Promise.all(
      list.body.items.map((row: { id: number }) => gw.admin().get(`/admin/logs/${row.id}`).expect(200)),
    );
    return [list.text, ...details.map((detail) => detail.text)].join('\n');
  };
  const expectNoSecret = (text: string) => {
    for (const secret of [UPSTREAM_KEY_A, UPSTREAM_KEY_B, proxyKey.key]) expect(text).not.toContain(secret);
  };

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({ engine, env: { REQUEST_LOGGING_DETAILED: 'true' } });
    gw = await GatewayFixture.for(sut);
    groupId = (
      await gw.createGroup({
        groupName: 'g-echo',
        baseUrl: mock.baseUrl,
        apiKeys: [UPSTREAM_KEY_A, UPSTREAM_KEY_B],
        models: ['m-echo'],
      })
    ).id;
    proxyKey = await gw.createProxyKey({ name: 'echo' });
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });
  afterEach(() => mock.reset());

  it('does not return an upstream key echoed in a client error to the client or store it', async () => {
    mock.script('*', { kind: 'echo-key', status: 400 });
    const res = await send().expect(400);
    expect(res.text).toContain('[redacted]');
    expectNoSecret(res.text);
    expectNoSecret(await storedRows());
  });

  it('does not return the proxy key a client put in its prompt when the upstream echoes it', async () => {
    mock.script('*', { kind: 'echo-key', status: 422, json: false });
    const res = await send(`my key is ${proxyKey.key}`).expect(422);
    expectNoSecret(res.text);
    expectNoSecret(await storedRows()); // the detailed request body too
  });

  it('does not keep upstream keys echoed in 401/429/500 answers in failure messages, key health or logs', async () => {
    mock.script(
      '*',
      { kind: 'echo-key', status: 500 },
      { kind: 'echo-key', status: 429, headers: { 'retry-after': '1' } },
      { kind: 'echo-key', status: 401, json: false },
      { kind: 'echo-key', status: 500 },
    );
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(500);
    expectNoSecret(res.text);
    expectNoSecret(await storedRows());
    const health = await gw.admin().get(`/api/providers/health/${groupId}`).expect(200);
    expect(health.text).toContain('Incorrect API key provided: [redacted]');
    expectNoSecret(health.text);
    expectNoSecret(sut.logs.text);
  });

  it('does not keep an upstream key echoed to a health check in last_error', async () => {
    mock.setDefault('*', { kind: 'echo-key', status: 401, json: false });
    const forced = await gw.admin().post(`/api/health-check/force/${groupId}`).expect(200);
    expect(forced.text).toContain('Incorrect API key provided: [redacted]');
    expectNoSecret(forced.text);
    expectNoSecret(sut.logs.text);
  });
});
