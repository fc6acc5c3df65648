import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';

// "user" + "hi" = 6 characters → 2 prompt tokens, + max_tokens 6: each request reserves 8 tokens.
const EIGHT_TOKEN_REQUEST = { model: 'm-budget', max_tokens: 6, messages: [{ role: 'user', content: 'hi' }] };

// Limits checked only against what finished requests spent let a burst of concurrent requests
// through together; reservations made at admission keep the burst inside the limit.
describeEachEngine('token budgets and TPM under concurrency', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;

  const burst = (key: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, () =>
        sut
          .http()
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${key}`)
          .send(EIGHT_TOKEN_REQUEST)
          .then((res) => ({ status: res.status, code: res.body?.error?.code as string | undefined })),
      ),
    );

  beforeAll(async () => {
    mock = await MockUpstream.start();
    // Slow enough that the burst's requests overlap; each really spends 8 tokens.
    mock.setDefault('*', {
      kind: 'ok',
      delayMs: 1500,
      usage: { prompt_tokens: 2, completion_tokens: 6, total_tokens: 8 },
    });
    sut = await startTestApp({ engine });
    gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'g-budget',
      baseUrl: mock.baseUrl,
      apiKeys: ['upstream-budget-key-0001'],
      models: ['m-budget'],
    });
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  it('does not let 30 concurrent 8-token requests overrun a budget of 10 tokens', async () => {
    const { key } = await gw.createProxyKey({ tokenBudget: 10 });
    const results = await burst(key, 30);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 429 && r.code === 'budget_exceeded')).toHaveLength(29);
  });

  it('does not let a concurrent burst overrun tokens per minute', async () => {
    const { key } = await gw.createProxyKey({ tpm: 20 });
    const results = await burst(key, 30);
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.code === 'tokens_rate_limit_exceeded')).toHaveLength(28);
  });

  it('gives a failed request its reservation back', async () => {
    const { key } = await gw.createProxyKey({ tokenBudget: 10 });
    mock.script('*', { kind: 'status', status: 400 });
    await sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${key}`)
      .send(EIGHT_TOKEN_REQUEST)
      .expect(400);
    // Nothing was spent, nothing stays reserved: the next request fits.
    const [next] = await burst(key, 1);
    expect(next.status).toBe(200);
  });
});
