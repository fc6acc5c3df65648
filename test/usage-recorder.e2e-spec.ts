import { DataSource, Like } from 'typeorm';
import { ProviderUsageStat } from '../src/stats/entities/provider-usage-stat.entity.js';
import { RequestLog } from '../src/stats/entities/request-log.entity.js';
import { RetentionService } from '../src/stats/recorder/retention.service.js';
import { UsageRecorder } from '../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine, ENGINES } from './support/engines.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { usageRecord, waitFor } from './support/usage-records.js';

const SECRET = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';

async function logCount(app: TestApp, prefix: string): Promise<number> {
  return app.app
    .get(DataSource)
    .getRepository(RequestLog)
    .count({ where: { requestId: Like(`${prefix}%`) } });
}

async function aggregateTotals(
  app: TestApp,
  model: string,
): Promise<{ requests: number; successes: number; failures: number; totalTokens: number }> {
  const rows = await app.app.get(DataSource).getRepository(ProviderUsageStat).findBy({ model });
  const sum = (pick: (row: ProviderUsageStat) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    requests: sum((r) => r.requests),
    successes: sum((r) => r.successes),
    failures: sum((r) => r.failures),
    totalTokens: sum((r) => r.totalTokens),
  };
}

describeEachEngine(UsageRecorder.name, (engine) => {
  describe('with detailed request logging', () => {
    let app: TestApp;
    let sut: UsageRecorder;

    beforeAll(async () => {
      app = await startTestApp({
        engine,
        env: { REQUEST_LOGGING_DETAILED: 'true', REQUEST_LOGGING_MAX_CONTENT_LENGTH: '64' },
      });
      sut = app.app.get(UsageRecorder);
    });
    afterAll(() => app.close());

    it('turns N pushed records, stream and non-stream, into N log rows and N requests in the hourly aggregates', async () => {
      const n = 1234;
      for (let i = 0; i < n; i += 1) {
        sut.push(
          usageRecord({
            requestId: `bulk-${i}`,
            model: 'bulk-model',
            stream: i % 2 === 0,
            status: i % 10 === 0 ? 502 : 200,
            promptTokens: 3,
            completionTokens: 4,
            totalTokens: 7,
          }),
        );
      }
      await expect(sut.flush()).resolves.toBe(true);
      await expect(logCount(app, 'bulk-')).resolves.toBe(n);
      await expect(aggregateTotals(app, 'bulk-model')).resolves.toEqual({
        requests: n,
        successes: n - 124,
        failures: 124,
        totalTokens: 7 * n,
      });
      const at = new Date('2025-06-07T08:09:10.123Z');
      sut.push(usageRecord({ requestId: 'precise-1', at }));
      await sut.flush();
      const precise = await app.app
        .get(DataSource)
        .getRepository(RequestLog)
        .findOneByOrFail({ requestId: 'precise-1' });
      expect(precise.createdAt.toISOString()).toBe(at.toISOString());
      const streamed = await app.app
        .get(DataSource)
        .getRepository(RequestLog)
        .findOneByOrFail({ requestId: 'bulk-2' });
      expect(streamed).toMatchObject({
        stream: true,
        status: 200,
        promptTokens: 3,
        completionTokens: 4,
        totalTokens: 7,
        groupName: 'openai-main',
        upstreamKeyId: 11,
      });
    });

    it('cuts bodies at maxContentLength and redacts keys in bodies and error messages', async () => {
      sut.push(
        usageRecord({
          requestId: 'redact-1',
          status: 401,
          errorType: 'authentication_error',
          errorMessage: `Incorrect API key provided: ${SECRET}`,
          requestBody: JSON.stringify({
            api_key: SECRET,
            messages: [{ role: 'user', content: 'x'.repeat(500) }],
          }),
          responseBody: `{"error":"bad key ${SECRET}"}`,
        }),
      );
      await sut.flush();
      const row = await app.app
        .get(DataSource)
        .getRepository(RequestLog)
        .findOneByOrFail({ requestId: 'redact-1' });
      expect(row.errorMessage).toBe('Incorrect API key provided: [redacted]');
      expect(row.requestBody).toHaveLength(64);
      expect(row.requestBody).toContain('[redacted]');
      expect(row.responseBody).toBe('{"error":"bad key [redacted]"}');
      expect(JSON.stringify(row)).not.toContain('sk-proj');
    });

    it('purges rows older than retentionDays in batches and keeps the hourly aggregates', async () => {
      const old = new Date(Date.now() - 40 * 86_400_000);
      for (let i = 0; i < 30; i += 1)
        sut.push(usageRecord({ requestId: `old-${i}`, model: 'retention-model', at: old }));
      sut.push(usageRecord({ requestId: 'recent-1', model: 'retention-model' }));
      await sut.flush();
      const retention = app.app.get(RetentionService);
      await expect(retention.purge(new Date())).resolves.toBeGreaterThanOrEqual(30);
      await expect(logCount(app, 'old-')).resolves.toBe(0);
      await expect(logCount(app, 'recent-')).resolves.toBe(1);
      await expect(aggregateTotals(app, 'retention-model')).resolves.toMatchObject({ requests: 31 });
    });
  });

  describe('request logging settings', () => {
    let app: TestApp;
    let token: string;
    const put = (requestLogging: object) =>
      app.http().put('/admin/settings').set('Authorization', `Bearer ${token}`).send({ requestLogging });

    beforeAll(async () => {
      app = await startTestApp({ engine });
      token = await app.login();
    });
    afterAll(() => app.close());

    it('shows the defaults from the environment', async () => {
      const res = await app.http().get('/admin/settings').set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.body.requestLogging).toEqual({
        enabled: true,
        detailedContent: false,
        maxContentLength: 1000,
        retentionDays: 30,
      });
    });

    it('refuses invalid values with a 400 naming the field', async () => {
      const res = await put({ retentionDays: 0 }).expect(400);
      expect(res.body.message).toContain('retentionDays');
    });

    it('applies a change to the next batch: bodies kept, then rows turned off while aggregates go on', async () => {
      const sut = app.app.get(UsageRecorder);
      await put({ detailedContent: true, maxContentLength: 20 }).expect(200);
      sut.push(
        usageRecord({
          requestId: 'runtime-1',
          model: 'runtime-model',
          requestBody: '{"messages":[{"role":"user"}]}',
        }),
      );
      await sut.flush();
      const row = await app.app
        .get(DataSource)
        .getRepository(RequestLog)
        .findOneByOrFail({ requestId: 'runtime-1' });
      expect(row.requestBody).toBe('{"messages":[{"role"');

      await put({ enabled: false }).expect(200);
      sut.push(usageRecord({ requestId: 'runtime-2', model: 'runtime-model' }));
      await sut.flush();
      await expect(logCount(app, 'runtime-')).resolves.toBe(1);
      await expect(aggregateTotals(app, 'runtime-model')).resolves.toMatchObject({ requests: 2 });
    });
  });

  it('keeps the aggregates but writes no rows when REQUEST_LOGGING_ENABLED=false', async () => {
    const app = await startTestApp({ engine, env: { REQUEST_LOGGING_ENABLED: 'false' } });
    try {
      const sut = app.app.get(UsageRecorder);
      for (let i = 0; i < 20; i += 1) sut.push(usageRecord({ requestId: `off-${i}`, model: 'off-model' }));
      await sut.flush();
      await expect(aggregateTotals(app, 'off-model')).resolves.toMatchObject({ requests: 20 });
      await expect(logCount(app, 'off-')).resolves.toBe(0);
    } finally {
      await app.close();
    }
  });

  it('writes every queued record on close, before the database disconnects', async () => {
    const first = await startTestApp({ engine });
    const n = 1700;
    for (let i = 0; i < n; i += 1)
      first.app.get(UsageRecorder).push(usageRecord({ requestId: `close-${i}`, model: 'close-model' }));
    await first.close({ keepData: true });
    const second = await startTestApp({
      engine,
      reuse: { dataDir: first.dataDir, database: first.database },
    });
    try {
      await expect(logCount(second, 'close-')).resolves.toBe(n);
      await expect(aggregateTotals(second, 'close-model')).resolves.toMatchObject({ requests: n });
    } finally {
      await second.close();
    }
  });
});

(ENGINES.includes('mysql') ? describe : describe.skip)(
  `${UsageRecorder.name} through a database outage [mysql]`,
  () => {
    let proxy: TcpProxy;
    let app: TestApp;

    beforeAll(async () => {
      proxy = await new TcpProxy('127.0.0.1', 3306).start();
      app = await startTestApp({ engine: 'mysql', mysqlHostPort: proxy.hostPort });
    });
    afterAll(async () => {
      proxy.restore();
      await app.close();
      await proxy.stop();
    });

    it('keeps accepting records while the database is cut off, then writes every one of them', async () => {
      const sut = app.app.get(UsageRecorder);
      for (let i = 0; i < 100; i += 1)
        sut.push(usageRecord({ requestId: `before-${i}`, model: 'outage-model' }));
      await sut.flush();

      proxy.cut();
      const started = process.hrtime.bigint();
      for (let i = 0; i < 3000; i += 1)
        sut.push(usageRecord({ requestId: `during-${i}`, model: 'outage-model' }));
      const pushMs = Number(process.hrtime.bigint() - started) / 1e6;
      expect(pushMs).toBeLessThan(1000);
      await waitFor(() => app.logs.text.includes('Usage write failed'), 10_000, 'a failed usage write');
      expect(sut.backlog).toBe(3000);

      proxy.restore();
      await waitFor(() => sut.backlog === 0, 20_000, 'the backlog to drain');
      await expect(logCount(app, 'during-')).resolves.toBe(3000);
      await expect(aggregateTotals(app, 'outage-model')).resolves.toMatchObject({ requests: 3100 });
    });
  },
);
