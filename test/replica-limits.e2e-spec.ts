import type { Redis } from 'ioredis';
import { ENGINES } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { closeClient, uniqueRedisPrefix } from './support/redis.js';
import { OwnRedisServer } from './support/redis-server.js';
import { closeReplicas, startReplicas, TestApp } from './support/test-app.js';
import { waitFor } from './support/usage-records.js';

// Two replicas (two apps in this process, each with its own connections) on one MySQL database
// and a Redis of this suite's own, which it stops and starts again: proxy-key limits count across
// both while Redis is up, and each replica enforces its share of them while it is down.

const UPSTREAM_KEY = 'sk-upstream-replica-limits';
const MODEL = 'gpt-4o';
const TOKENS_PER_REQUEST = 30;
const chatBody = { model: MODEL, messages: [{ role: 'user', content: 'hi' }] };

(ENGINES.includes('mysql') ? describe : describe.skip)('proxy-key limits shared by two replicas', () => {
  const prefix = uniqueRedisPrefix();
  let redisServer: OwnRedisServer;
  let redis: Redis;
  let mock: MockUpstream;
  let apps: TestApp[];
  let fixtures: GatewayFixture[];
  const keys: Record<
    'rpm' | 'budget' | 'tpm' | 'hung' | 'down' | 'back' | 'probe',
    { id: number; key: string }
  > = {} as never;

  const chat = (replica: number, key: string) =>
    apps[replica].http().post('/v1/chat/completions').set('Authorization', `Bearer ${key}`).send(chatBody);
  const status = async (replica: number) =>
    (await fixtures[replica].admin().get('/admin/status').expect(200)).body as {
      redis: { configured: boolean; reachable: boolean; limitsBackend: string };
    };
  const counter = async (name: string) => Number((await redis.get(`${prefix}${name}`)) ?? 0);
  const allLogs = () => apps.flatMap((app) => app.logs.lines);

  beforeAll(async () => {
    [redisServer, mock] = await Promise.all([OwnRedisServer.start(), MockUpstream.start()]);
    redis = redisServer.client();
    redis.on('error', () => undefined);
    mock.setDefault(UPSTREAM_KEY, {
      kind: 'ok',
      usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: TOKENS_PER_REQUEST },
    });
    const env = { REDIS_URL: redisServer.url, REDIS_KEY_PREFIX: prefix, REPLICAS_EXPECTED: '2' };
    apps = await startReplicas(env);
    fixtures = await Promise.all(apps.map((app) => GatewayFixture.for(app)));
    await fixtures[0].createGroup({
      groupName: 'replica-limits',
      baseUrl: mock.baseUrl,
      apiKeys: [UPSTREAM_KEY],
      models: [MODEL],
    });
    keys.rpm = await fixtures[0].createProxyKey({ rpm: 10 });
    keys.budget = await fixtures[0].createProxyKey({ tokenBudget: 100 });
    keys.tpm = await fixtures[0].createProxyKey({ tpm: 50 });
    keys.hung = await fixtures[0].createProxyKey({ rpm: 10, tpm: 100_000, tokenBudget: 100_000 });
    keys.down = await fixtures[0].createProxyKey({ rpm: 10 });
    keys.back = await fixtures[0].createProxyKey({ rpm: 10 });
    keys.probe = await fixtures[0].createProxyKey({});
    // Configuration reloads as a whole: knowing the last key, the second replica knows them all.
    await waitFor(
      async () => (await chat(1, keys.probe.key)).status === 200,
      10_000,
      'replica B to know the keys',
    );
  }, 90_000);

  afterAll(async () => {
    await closeReplicas(apps);
    await closeClient(redis);
    await redisServer?.stop();
    await mock?.stop();
  });

  it('lets exactly rpm requests through across both replicas (30 against rpm 10)', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(i % 2, keys.rpm.key)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.body.error.code).toBe('rate_limit_exceeded');
    expect(limited.headers['x-ratelimit-remaining-requests']).toBe('0');
  });

  it('spends one token budget from both replicas', async () => {
    // 30 tokens a request against 100: admitted at 0, 30, 60 and 90 spent, whichever replica serves.
    let spent = 0;
    for (let i = 0; i < 4; i += 1) {
      await chat(i % 2, keys.budget.key).expect(200);
      spent += TOKENS_PER_REQUEST;
      await waitFor(
        async () => (await counter(`limits:spent:${keys.budget.id}`)) === spent,
        5000,
        'the shared total',
      );
    }
    for (const replica of [0, 1]) {
      const refused = await chat(replica, keys.budget.key).expect(429);
      expect(refused.body.error.code).toBe('budget_exceeded');
    }
  });

  it('counts tokens per minute from both replicas', async () => {
    const tpmCounter = `limits:tpm:${keys.tpm.id}:50`;
    await chat(0, keys.tpm.key).expect(200);
    await waitFor(async () => (await counter(tpmCounter)) === 30, 5000, 'the shared TPM counter');
    await chat(1, keys.tpm.key).expect(200); // 30 of 50 used: admitted, then 60
    await waitFor(async () => (await counter(tpmCounter)) === 60, 5000, 'the shared TPM counter');
    for (const replica of [0, 1])
      expect((await chat(replica, keys.tpm.key).expect(429)).body.error.code).toBe(
        'tokens_rate_limit_exceeded',
      );
  });

  it('answers within the Redis deadline when Redis hangs, on the replica’s own share', async () => {
    redisServer.freeze();
    try {
      const timings: number[] = [];
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const started = Date.now();
        statuses.push((await chat(0, keys.hung.key)).status);
        timings.push(Date.now() - started);
      }
      // rpm 10 over REPLICAS_EXPECTED=2: 5 on this replica's own limiter.
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      // Each waits the 250 ms deadline once (the RPM increment and the token read run side by side).
      for (const ms of timings) expect(ms).toBeLessThan(1500); // without it: the 2 s command timeout
      await apps[0].http().get('/health/ready').expect(200);
    } finally {
      redisServer.thaw();
    }
  });

  it('falls back to each replica’s share while Redis is down, and shares again when it is back', async () => {
    await redisServer.stop();
    for (const replica of [0, 1])
      await waitFor(
        async () => !(await status(replica)).redis.reachable,
        10_000,
        `replica ${replica} to notice`,
      );
    expect((await status(0)).redis).toEqual({ configured: true, reachable: false, limitsBackend: 'memory' });
    const metrics = await apps[1].http().get('/metrics').expect(200);
    expect(metrics.text).toContain('switchyard_rate_limit_backend{backend="memory"} 1');
    expect(metrics.text).toContain('switchyard_rate_limit_backend{backend="redis"} 0');

    // rpm 10 over REPLICAS_EXPECTED=2: 5 a replica, and no request waits on the missing Redis.
    for (const replica of [0, 1]) {
      const started = Date.now();
      const statuses = [];
      for (let i = 0; i < 8; i += 1) statuses.push((await chat(replica, keys.down.key)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      expect(Date.now() - started).toBeLessThan(8 * 1000);
    }
    for (const replica of [0, 1]) await apps[replica].http().get('/health/ready').expect(200);
    const fallback = allLogs().filter((line) => line.includes('Redis is unreachable: proxy-key limits'));
    expect(fallback).toHaveLength(2); // once per replica

    await redisServer.resume(); // empty: it lost every counter
    for (const replica of [0, 1])
      await waitFor(
        async () => (await status(replica)).redis.limitsBackend === 'redis',
        15_000,
        `replica ${replica}`,
      );
    await waitFor(
      () => allLogs().filter((line) => line.includes('shared through Redis again')).length === 2,
      5000,
      'the recovery log lines',
    );
    // The budget's total is restored from what the replicas knew and the database's usage totals.
    await waitFor(
      async () => (await counter(`limits:spent:${keys.budget.id}`)) === 4 * TOKENS_PER_REQUEST,
      10_000,
      'the budget total to be restored',
    );
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(i % 2, keys.back.key)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(20);
  }, 90_000);
});
