import { HealthState } from '../src/key-health/health-state.service.js';
import { RoutingTable } from '../src/routing/routing-table.js';
import { UsageRecorder } from '../src/stats/recorder/usage-recorder.service.js';
import { UsageRecord } from '../src/stats/usage-record.js';
import { UsageStatsService } from '../src/stats/usage/usage-stats.service.js';
import { describeEachEngine } from './support/engines.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { usageRecord } from './support/usage-records.js';

const DAY_MS = 86_400_000;

// 10 recent requests over two models, groups, upstream keys and proxy keys, plus one 3 days old.
function traffic(now: number): UsageRecord[] {
  const alpha = [200, 200, 200, 429, 500, 200].map((status, i) =>
    usageRecord({
      requestId: `alpha-${i}`,
      at: new Date(now - (i + 1) * 1000),
      model: 'alpha',
      groupId: 1,
      groupName: 'g-one',
      upstreamKeyId: 11,
      proxyKeyId: 1,
      proxyKeyName: 'team-a',
      status,
      latencyMs: (i + 1) * 100,
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
    }),
  );
  const beta = [200, 200, 404, 200].map((status, i) =>
    usageRecord({
      requestId: `beta-${i}`,
      at: new Date(now - (i + 7) * 1000),
      model: 'beta',
      groupId: 2,
      groupName: 'g-two',
      upstreamKeyId: 21,
      proxyKeyId: 2,
      proxyKeyName: 'team-b',
      stream: true,
      status,
      latencyMs: (i + 7) * 100,
      promptTokens: 20,
      completionTokens: 30,
      totalTokens: 50,
    }),
  );
  const old = usageRecord({
    requestId: 'old-0',
    at: new Date(now - 3 * DAY_MS),
    model: 'alpha',
    groupId: 1,
    upstreamKeyId: 11,
    proxyKeyId: 1,
    latencyMs: 5000,
  });
  return [...alpha, ...beta, old];
}

describeEachEngine('admin logs, stats and status', (engine) => {
  let app: TestApp;
  let token: string;
  const get = (path: string) => app.http().get(path).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    app = await startTestApp({ engine });
    token = await app.login();
    const recorder = app.app.get(UsageRecorder);
    traffic(Date.now()).forEach((record) => recorder.push(record));
    await recorder.flush();
  });
  afterAll(() => app.close());

  describe('GET /admin/logs', () => {
    it('lists every request newest first, without bodies', async () => {
      const res = await get('/admin/logs').expect(200);
      expect(res.body).toMatchObject({ total: 11, page: 1, pageSize: 50 });
      expect(res.body.items.map((row: { requestId: string }) => row.requestId)).toEqual([
        ...[0, 1, 2, 3, 4, 5].map((i) => `alpha-${i}`),
        ...[0, 1, 2, 3].map((i) => `beta-${i}`),
        'old-0',
      ]);
      expect(res.body.items[0]).toMatchObject({
        model: 'alpha',
        groupName: 'g-one',
        upstreamKeyId: 11,
        stream: false,
        pinned: false,
        promptTokens: 10,
        totalTokens: 15,
      });
      expect(res.body.items[0]).not.toHaveProperty('requestBody');
    });

    it('pages through the rows', async () => {
      const page2 = await get('/admin/logs?page=2&pageSize=4').expect(200);
      expect(page2.body).toMatchObject({ total: 11, page: 2, pageSize: 4 });
      expect(page2.body.items.map((row: { requestId: string }) => row.requestId)).toEqual([
        'alpha-4',
        'alpha-5',
        'beta-0',
        'beta-1',
      ]);
      const last = await get('/admin/logs?page=3&pageSize=4').expect(200);
      expect(last.body.items).toHaveLength(3);
    });

    it.each([
      ['model=beta', 4],
      ['groupId=1', 7],
      ['proxyKeyId=2', 4],
      ['status=200', 8],
      ['status=4xx', 2],
      ['status=error', 3],
      ['status=success', 8],
      ['model=alpha&status=5xx', 1],
    ])('filters by %s', async (filter, total) => {
      const res = await get(`/admin/logs?${filter}`).expect(200);
      expect(res.body.total).toBe(total);
    });

    it('filters by time', async () => {
      const dayAgo = new Date(Date.now() - DAY_MS).toISOString();
      await expect(get(`/admin/logs?from=${dayAgo}`).then((r) => r.body.total)).resolves.toBe(10);
      await expect(
        get(`/admin/logs?to=${dayAgo}`).then((r) =>
          r.body.items.map((i: { requestId: string }) => i.requestId),
        ),
      ).resolves.toEqual(['old-0']);
    });

    it.each([
      ['pageSize=201'],
      ['page=0'],
      ['status=teapot'],
      ['from=yesterday'],
      ['groupId=abc'],
      ['unknown=1'],
    ])('answers 400 to %s', async (query) => {
      const res = await get(`/admin/logs?${query}`).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        message: expect.any(String),
        requestId: expect.any(String),
      });
    });

    it('returns one row with its bodies, and 404 for an unknown id', async () => {
      const list = await get('/admin/logs?model=beta&pageSize=1').expect(200);
      const id = list.body.items[0].id as number;
      const one = await get(`/admin/logs/${id}`).expect(200);
      expect(one.body).toMatchObject({
        id,
        requestId: 'beta-0',
        stream: true,
        requestBody: null,
        responseBody: null,
      });
      await get('/admin/logs/99999999').expect(404);
    });

    it('needs an admin token', async () => {
      await app.http().get('/admin/logs').expect(401);
    });
  });

  describe('GET /admin/stats', () => {
    it('overview totals, rates, tokens and breakdowns agree with the log rows of the window', async () => {
      const res = await get('/admin/stats/overview?range=24h').expect(200);
      const logs = await get(`/admin/logs?from=${res.body.from}&pageSize=200`).expect(200);
      expect(res.body.totals.requests).toBe(logs.body.total);
      expect(res.body.totals).toEqual({
        requests: 10,
        successes: 7,
        failures: 3,
        successRate: 0.7,
        promptTokens: 6 * 10 + 4 * 20,
        completionTokens: 6 * 5 + 4 * 30,
        totalTokens: 6 * 15 + 4 * 50,
        avgLatencyMs: 550,
      });
      // Nearest rank over latencies 100..1000: p50 = 500, p95 = 1000.
      expect(res.body.latency).toEqual({ p50Ms: 500, p95Ms: 1000 });
      expect(res.body.byModel.map((m: { model: string; requests: number }) => [m.model, m.requests])).toEqual(
        [
          ['alpha', 6],
          ['beta', 4],
        ],
      );
      expect(res.body.byGroup[0]).toMatchObject({
        groupId: 1,
        groupName: 'g-one',
        requests: 6,
        successes: 4,
        successRate: 4 / 6,
      });
      expect(res.body.byKey.map((k: { upstreamKeyId: number }) => k.upstreamKeyId)).toEqual([11, 21]);
      expect(res.body.byProxyKey[1]).toMatchObject({ proxyKeyId: 2, proxyKeyName: 'team-b', requests: 4 });
    });

    it('a wider range takes in older traffic', async () => {
      const week = await get('/admin/stats/overview?range=7d').expect(200);
      expect(week.body.totals.requests).toBe(11);
      await get('/admin/stats/overview?range=2h').expect(400);
    });

    it('timeseries by hour and by day sum to the same totals', async () => {
      const from = new Date(Date.now() - 4 * DAY_MS).toISOString();
      const hourly = await get(`/admin/stats/timeseries?from=${from}&bucket=hour`).expect(200);
      const daily = await get(`/admin/stats/timeseries?from=${from}&bucket=day`).expect(200);
      const sum = (body: { series: Array<{ points: Array<{ requests: number; totalTokens: number }> }> }) =>
        body.series
          .flatMap((s) => s.points)
          .reduce(
            (acc, p) => ({
              requests: acc.requests + p.requests,
              totalTokens: acc.totalTokens + p.totalTokens,
            }),
            { requests: 0, totalTokens: 0 },
          );
      expect(sum(hourly.body)).toEqual({ requests: 11, totalTokens: 6 * 15 + 4 * 50 + 15 });
      expect(sum(daily.body)).toEqual(sum(hourly.body));
      expect(
        daily.body.series[0].points.every((p: { start: string }) => p.start.endsWith('T00:00:00.000Z')),
      ).toBe(true);
    });

    it('timeseries splits by model, group or key', async () => {
      const byModel = await get('/admin/stats/timeseries?groupBy=model').expect(200);
      expect(byModel.body.series.map((s: { key: string }) => s.key)).toEqual(['alpha', 'beta']);
      const byGroup = await get('/admin/stats/timeseries?groupBy=group').expect(200);
      expect(byGroup.body.series[1]).toMatchObject({ key: 'group:2', groupId: 2, groupName: 'g-two' });
      const byKey = await get('/admin/stats/timeseries?groupBy=key&bucket=day').expect(200);
      expect(byKey.body.series.map((s: { upstreamKeyId: number }) => s.upstreamKeyId)).toEqual([11, 21]);
    });

    it('refuses an empty, reversed or too long timeseries window', async () => {
      const now = Date.now();
      await get(
        `/admin/stats/timeseries?from=${new Date(now).toISOString()}&to=${new Date(now - DAY_MS).toISOString()}`,
      ).expect(400);
      await get(
        `/admin/stats/timeseries?from=${new Date(now - 40 * DAY_MS).toISOString()}&bucket=hour`,
      ).expect(400);
      await get(
        `/admin/stats/timeseries?from=${new Date(now - 40 * DAY_MS).toISOString()}&bucket=day`,
      ).expect(200);
      await get('/admin/stats/timeseries?bucket=week').expect(400);
    });
  });

  it('sums lifetime tokens per proxy key for budgets', async () => {
    const sut = app.app.get(UsageStatsService);
    await expect(sut.tokensByProxyKey()).resolves.toEqual(
      new Map([
        [1, 6 * 15 + 15],
        [2, 4 * 50],
      ]),
    );
  });

  describe('GET /admin/status', () => {
    it('reports version, database, traffic of the last 24 h and the process', async () => {
      const res = await get('/admin/status').expect(200);
      expect(res.body).toMatchObject({
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        uptimeSeconds: expect.any(Number),
        database: { type: engine, reachable: true },
        redis: { configured: false, reachable: false, limitsBackend: 'memory' },
        groups: {
          total: expect.any(Number),
          healthy: expect.any(Number),
          recovering: expect.any(Number),
          unhealthy: expect.any(Number),
        },
        keys: { total: expect.any(Number) },
        last24h: { requests: 10, successRate: 0.7, latencyP50Ms: 500, latencyP95Ms: 1000 },
        usageQueueDepth: 0,
        memory: { rssBytes: expect.any(Number), heapUsedBytes: expect.any(Number) },
      });
      expect(Object.keys(res.body.eventLoopLag)).toEqual(['meanMs', 'p99Ms', 'maxMs']);
    });

    it('counts groups and keys by health from the routing table and the breakers', async () => {
      const group = await app
        .http()
        .post('/admin/groups')
        .set('Authorization', `Bearer ${token}`)
        .send({
          groupName: 'status-group',
          providerType: 'openai',
          apiKeys: ['sk-status-key-0000000001', 'sk-status-key-0000000002'],
          models: ['gpt-4o'],
        })
        .expect(201);
      await app.app.get(RoutingTable).rebuild();
      const [first, second] = group.body.keys as Array<{ id: number }>;
      const health = app.app.get(HealthState);
      health.markInvalid(
        { groupId: group.body.id, groupName: 'status-group', keyId: first.id, masked: 'sk-…0001' },
        401,
      );
      let res = await get('/admin/status').expect(200);
      expect(res.body.groups).toEqual({ total: 1, healthy: 1, recovering: 0, unhealthy: 0 });
      expect(res.body.keys).toEqual({ total: 2, healthy: 1, recovering: 0, unhealthy: 1 });

      health.markInvalid(
        { groupId: group.body.id, groupName: 'status-group', keyId: second.id, masked: 'sk-…0002' },
        401,
      );
      res = await get('/admin/status').expect(200);
      expect(res.body.groups).toEqual({ total: 1, healthy: 0, recovering: 0, unhealthy: 1 });
    });
  });
});
