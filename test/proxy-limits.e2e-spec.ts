import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { startTestApp, TestApp } from './support/test-app.js';

const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] };

describeEachEngine('proxy key limits', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;

  const send = (key: string, body: object = chat) =>
    sut.http().post('/v1/chat/completions').set('Authorization', `Bearer ${key}`).send(body);

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({ engine, env: { BODY_LIMIT: '16kb' } });
    gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'limits',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-upstream-limits'],
      models: ['gpt-4o'],
    });
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  it('lets exactly rpm requests through under concurrency (12 parallel against rpm 5)', async () => {
    const { key } = await gw.createProxyKey({ rpm: 5 });
    const results = await Promise.all(Array.from({ length: 12 }, () => send(key)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-limit-requests']).toBe('5');
    expect(limited.headers['x-ratelimit-remaining-requests']).toBe('0');
    const passed = results.find((r) => r.status === 200)!;
    expect(passed.headers['x-ratelimit-limit-requests']).toBe('5');
  });

  it('spends no quota on requests refused for auth, validation or size', async () => {
    const { key } = await gw.createProxyKey({ rpm: 2 });
    await sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${key}x`)
      .send(chat)
      .expect(401);
    await send(key, { messages: [] }).expect(400);
    await send(key, { ...chat, model: 'unknown-model' }).expect(404);
    await send(key, { ...chat, padding: 'x'.repeat(20_000) }).expect(413);
    await sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${key}`)
      .set('content-type', 'application/json')
      .send('{oops')
      .expect(400);
    await send(key).expect(200);
    const second = await send(key).expect(200);
    expect(second.headers['x-ratelimit-remaining-requests']).toBe('0');
    await send(key).expect(429);
  });

  it('charges real token usage against the tokens-per-minute limit', async () => {
    const { key } = await gw.createProxyKey({ tpm: 10 });
    mock.setDefault('sk-upstream-limits', {
      kind: 'ok',
      usage: { prompt_tokens: 8, completion_tokens: 7, total_tokens: 15 },
    });
    await send(key).expect(200);
    const res = await send(key).expect(429);
    expect(res.body.error.code).toBe('tokens_rate_limit_exceeded');
    mock.reset();
  });

  it('counts streamed usage too and refuses with budget_exceeded once the token budget is spent', async () => {
    const { key } = await gw.createProxyKey({ tokenBudget: 20 });
    mock.setDefault('sk-upstream-limits', {
      kind: 'ok',
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
    });
    await send(key, { ...chat, stream: true }).expect(200);
    await send(key).expect(200);
    const res = await send(key).expect(429);
    expect(res.body.error).toMatchObject({ type: 'insufficient_quota', code: 'budget_exceeded' });
    mock.reset();
  });
});

describeEachEngine('token budgets across a restart', (engine) => {
  it('remembers what a key spent before the restart', async () => {
    const mock = await MockUpstream.start();
    const first = await startTestApp({ engine });
    try {
      const gw = await GatewayFixture.for(first);
      await gw.createGroup({
        groupName: 'budget',
        baseUrl: mock.baseUrl,
        apiKeys: ['sk-upstream-budget'],
        models: ['gpt-4o'],
      });
      const { key } = await gw.createProxyKey({ tokenBudget: 25 });
      mock.setDefault('*', {
        kind: 'ok',
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
      await first
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key}`)
        .send(chat)
        .expect(200);
      await first.close({ keepData: true });

      const second = await startTestApp({
        engine,
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      try {
        await second
          .http()
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${key}`)
          .send(chat)
          .expect(200);
        const res = await second
          .http()
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${key}`)
          .send(chat)
          .expect(429);
        expect(res.body.error.code).toBe('budget_exceeded');
      } finally {
        await second.close();
      }
    } finally {
      await mock.stop();
    }
  });
});
