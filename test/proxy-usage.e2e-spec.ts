import { UsageRecorder } from '../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { startTestApp, TestApp } from './support/test-app.js';

const USAGE = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

describeEachEngine('usage accounting of proxied requests', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  let proxyKey: { id: number; key: string };

  beforeAll(async () => {
    mock = await MockUpstream.start();
    mock.setDefault('*', { kind: 'ok', usage: USAGE });
    sut = await startTestApp({
      engine,
      env: { REQUEST_LOGGING_DETAILED: 'true', REQUEST_LOGGING_MAX_CONTENT_LENGTH: '120' },
    });
    gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'usage',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-upstream-usage'],
      models: ['gpt-4o'],
      modelMap: { fast: 'gpt-4o' },
    });
    proxyKey = await gw.createProxyKey({ name: 'usage-key' });
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  it('writes one log row and one aggregate count per request, stream or not, with the tokens', async () => {
    const client = gw.openai(proxyKey.key);
    for (let i = 0; i < 3; i += 1)
      await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: `secret sk-leaky-${i}-abcdefgh please` }],
      });
    for (let i = 0; i < 3; i += 1) {
      const stream = await client.chat.completions.create({
        model: 'fast',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      for await (const chunk of stream) void chunk;
    }
    await sut.app.get(UsageRecorder).flush();

    const logs = await gw.admin().get(`/admin/logs?proxyKeyId=${proxyKey.id}&pageSize=50`).expect(200);
    expect(logs.body.total).toBe(6);
    for (const row of logs.body.items) {
      expect(row).toMatchObject({
        status: 200,
        groupName: 'usage',
        proxyKeyName: 'usage-key',
        promptTokens: 11,
        completionTokens: 7,
        totalTokens: 18,
        attempts: 1,
      });
    }
    expect(logs.body.items.filter((row: { stream: boolean }) => row.stream)).toHaveLength(3);
    expect(
      logs.body.items.filter(
        (row: { model: string; upstreamModel: string }) =>
          row.model === 'fast' && row.upstreamModel === 'gpt-4o',
      ),
    ).toHaveLength(3);

    const nonStream = logs.body.items.find((row: { stream: boolean }) => !row.stream);
    const detail = await gw.admin().get(`/admin/logs/${nonStream.id}`).expect(200);
    expect(detail.body.requestBody.length).toBeLessThanOrEqual(121);
    expect(detail.body.requestBody).not.toMatch(/sk-leaky-\d-abcdefgh/);
    expect(detail.body.responseBody).toEqual(expect.any(String));

    const overview = await gw.admin().get('/admin/stats/overview?range=1h').expect(200);
    expect(overview.body.totals).toMatchObject({ requests: 6, successes: 6, totalTokens: 108 });
  });

  it('stores hostile text verbatim (quotes, SQL, unicode) without breaking the batch', async () => {
    const userAgent = `O'Brien "x" '); DROP TABLE request_logs; -- \\ end`;
    await sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${proxyKey.key}`)
      .set('user-agent', userAgent)
      .send({ model: 'gpt-4o', messages: [{ role: 'user', content: "it's 漢字" }] })
      .expect(200);
    await sut.app.get(UsageRecorder).flush();
    const logs = await gw.admin().get(`/admin/logs?proxyKeyId=${proxyKey.id}&pageSize=1`).expect(200);
    expect(logs.body.total).toBe(7);
    const row = await gw.admin().get(`/admin/logs/${logs.body.items[0].id}`).expect(200);
    expect(row.body.userAgent).toBe(userAgent);
    expect(row.body.requestBody).toContain("it's 漢字");
  });
});
