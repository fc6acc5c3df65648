import request from 'supertest';
import { HealthCheckScheduler } from '../src/health/health-check.scheduler.js';
import { HEALTH_CHECK_TIMING, HealthCheckTiming } from '../src/health/health-check.timing.js';
import { RedisConnection } from '../src/redis/redis-connection.js';
import { ENGINES } from './support/engines.js';
import { MockUpstream } from './support/mock-upstream.js';
import { createTestDatabase, TestDatabase } from './support/mysql.js';
import { deleteRedisKeys, redisAvailable, TEST_REDIS_URL, uniqueRedisPrefix } from './support/redis.js';
import { SpawnedReplica, spawnReplica } from './support/spawn-replica.js';
import { closeReplicas, startReplicas, startTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/usage-records.js';

// Several replicas on one MySQL database act as one gateway: configuration made through one is
// served by the other within 2 s (through Redis pub/sub, or by polling the database without it),
// sticky sessions pick the same key on either, and the scheduled checks run once per interval.

const PASSWORD = 'replica-test-password';
const KEYS = ['sk-rep-aaaa-1111', 'sk-rep-bbbb-2222', 'sk-rep-cccc-3333'];
const MODEL = 'm-replicas';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const withRedis = await redisAvailable();
const VARIANTS: Array<[string, boolean]> = [
  ['database polling', false],
  ...(withRedis ? [['Redis pub/sub', true] as [string, boolean]] : []),
];
const describeMysql = ENGINES.includes('mysql') ? describe.each(VARIANTS) : describe.skip.each(VARIANTS);

describeMysql('two gateway processes on one MySQL database, synchronised by %s', (_, redis) => {
  const prefix = uniqueRedisPrefix();
  let database: TestDatabase;
  let mock: MockUpstream;
  let replicas: SpawnedReplica[];

  const admin = (replica: number, method: 'get' | 'post' | 'put', path: string) =>
    request(replicas[replica].url)[method](path).set('Authorization', `Bearer ${replicas[replica].token}`);
  const chat = (replica: number, proxyKey: string, session?: string) => {
    const req = request(replicas[replica].url)
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${proxyKey}`);
    if (session) req.set('x-session-id', session);
    return req.send({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
  };
  const start = () =>
    spawnReplica(database, PASSWORD, redis ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix } : {});

  beforeAll(async () => {
    [database, mock] = await Promise.all([createTestDatabase(), MockUpstream.start()]);
    replicas = [];
    replicas.push(await start()); // the first replica migrates the empty database
    replicas.push(await start());
  }, 90_000);
  afterAll(async () => {
    replicas?.forEach((replica) => replica.process.cleanup());
    await mock.stop();
    await database.drop();
    if (redis) await deleteRedisKeys(prefix);
  });

  it('serves a group and a proxy key created through replica A on replica B within 2 s', async () => {
    const group = await admin(0, 'post', '/admin/groups').send({
      providerType: 'openai',
      groupName: 'g-replicas',
      baseUrl: mock.baseUrl,
      apiKeys: KEYS,
      models: [MODEL],
    });
    expect(group.status).toBe(201);
    const proxyKey = await admin(0, 'post', '/admin/proxy-keys').send({ name: 'replicas' }).expect(201);
    const created = Date.now();

    let answered = 0;
    await waitFor(
      async () => (answered = (await chat(1, proxyKey.body.key)).status) === 200,
      10_000,
      'replica B to serve the new group',
    );
    expect(answered).toBe(200);
    expect(Date.now() - created).toBeLessThanOrEqual(2000);
    const reloaded = 'Configuration reloaded after a change on another replica';
    await waitFor(() => replicas[1].process.stdout().includes(reloaded), 2000, 'the reload log line');
    // A replica ignores its own changes: it applied them already.
    expect(replicas[0].process.stdout()).not.toContain(reloaded);
  });

  it('routes a session to the same key whichever replica serves it', async () => {
    const proxyKey = (await admin(1, 'post', '/admin/proxy-keys').send({ name: 'sticky' }).expect(201)).body
      .key;
    await waitFor(async () => (await chat(0, proxyKey)).status === 200, 10_000, 'replica A to know the key');
    const keyOf = new Map<string, Set<string>>();
    for (let round = 0; round < 2; round += 1)
      for (const session of ['s-1', 's-2', 's-3', 's-4', 's-5', 's-6', 's-7', 's-8'])
        for (const replica of [0, 1]) {
          mock.reset();
          await chat(replica, proxyKey, session).expect(200);
          const seen = mock.requests.find((r) => r.path === '/v1/chat/completions')?.key ?? 'none';
          keyOf.set(session, (keyOf.get(session) ?? new Set()).add(seen));
        }
    for (const keys of keyOf.values()) expect(keys.size).toBe(1);
    // Not one key for everything: sessions spread over the pool.
    expect(new Set([...keyOf.values()].map((keys) => [...keys][0])).size).toBeGreaterThan(1);
  });

  it('applies a settings change made on one replica on the other', async () => {
    await admin(1, 'put', '/admin/settings')
      .send({ requestLogging: { retentionDays: 11 } })
      .expect(200);
    await waitFor(
      async () => (await admin(0, 'get', '/admin/settings')).body.requestLogging?.retentionDays === 11,
      2000,
      'replica A to apply the settings change',
    );
    await admin(0, 'put', '/api/health-check/config').send({ interval_minutes: 7 }).expect(200);
    await waitFor(
      async () => (await admin(1, 'get', '/api/health-check/config')).body.data?.interval_minutes === 7,
      2000,
      'replica B to apply the health check configuration',
    );
  });
});

// The scheduled checks: two replicas in this process (the check interval can only be shortened
// in-process, through the HEALTH_CHECK_TIMING provider), each with its own connections.
const describeChecks = ENGINES.includes('mysql') ? describe.each(VARIANTS) : describe.skip.each(VARIANTS);

describeChecks('scheduled health checks with two replicas, synchronised by %s', (_, redis) => {
  const MINUTE_MS = 300;
  const prefix = uniqueRedisPrefix();
  let mock: MockUpstream;
  let apps: TestApp[];

  const probes = () => mock.requests.filter((r) => r.path === '/v1/models');
  const schedulerOf = (app: TestApp) => app.app.get(HealthCheckScheduler);

  beforeAll(async () => {
    mock = await MockUpstream.start();
    apps = await startReplicas(redis ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix } : {});
    const first = apps[0];
    for (const app of apps)
      Object.assign(app.app.get<symbol, HealthCheckTiming>(HEALTH_CHECK_TIMING), {
        minuteMs: MINUTE_MS,
        probeTimeoutMs: 1000,
        leaseTtlMs: 1500,
      });
    const token = await first.login();
    await first
      .http()
      .post('/admin/groups')
      .set('Authorization', `Bearer ${token}`)
      .send({
        providerType: 'openai',
        groupName: 'g-checks',
        baseUrl: mock.baseUrl,
        apiKeys: KEYS,
        models: [MODEL],
      })
      .expect(201);
    await first
      .http()
      .put('/api/health-check/config')
      .set('Authorization', `Bearer ${token}`)
      .send({ interval_minutes: 1 })
      .expect(200);
    // The other replica reschedules too, from the shared configuration.
    await waitFor(
      () => apps.every((app) => schedulerOf(app).intervalMs === MINUTE_MS),
      3000,
      'both to reschedule',
    );
  }, 60_000);
  afterAll(async () => {
    await closeReplicas(apps);
    await mock.stop();
    if (redis) await deleteRedisKeys(prefix);
  });

  it('probes each key once per interval, not once per replica', async () => {
    await sleep(2 * MINUTE_MS);
    mock.reset();
    const windowMs = 12 * MINUTE_MS;
    await sleep(windowMs);
    for (const key of KEYS) {
      const count = probes().filter((p) => p.key === key).length;
      expect(count).toBeGreaterThanOrEqual(6); // the job runs…
      expect(count).toBeLessThanOrEqual(14); // …on one replica (two would probe ~24 times)
    }
  });

  it('hands the job over when the replica running it stops', async () => {
    expect(apps.filter((app) => schedulerOf(app).leading)).toHaveLength(1);
    const leader = apps.findIndex((app) => schedulerOf(app).leading);
    await apps[leader].close({ keepData: true }); // gives the lease up on shutdown
    if (leader === 0) apps.reverse(); // the survivor closes last, dropping the database
    apps.pop();
    await waitFor(() => schedulerOf(apps[0]).leading, 3000, 'the survivor to take the lease');
    mock.reset();
    await sleep(10 * MINUTE_MS);
    const count = probes().filter((p) => p.key === KEYS[0]).length;
    expect(count).toBeGreaterThanOrEqual(5);
    expect(count).toBeLessThanOrEqual(12);
  });
});

(ENGINES.includes('mysql') ? describe : describe.skip)('a replica whose Redis is unreachable', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    app = await startTestApp({ engine: 'mysql', env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(async () => {
    await app.close();
    // ioredis gives a refused connection's socket 2 s to close on disconnect, with a timer that
    // would hold this Jest worker past its exit when this suite is its last.
    await new Promise((resolve) => setTimeout(resolve, 2100));
  });

  it('starts, stays ready and serves the admin API, logging the outage once per connection', async () => {
    let reconnections = 0;
    app.app.get(RedisConnection).client!.on('reconnecting', () => (reconnections += 1));
    await app.http().get('/health/ready').expect(200);
    const token = await app.login();
    await app.http().get('/admin/settings').set('Authorization', `Bearer ${token}`).expect(200);
    // The subscriber connection retries on the same schedule as the client.
    await waitFor(() => reconnections >= 2, 15_000, 'several reconnection attempts');
    const failures = app.logs.lines.filter((line) => line.includes('connection failed'));
    expect(failures.filter((line) => line.includes('Redis client'))).toHaveLength(1);
    expect(failures.filter((line) => line.includes('Redis subscriber'))).toHaveLength(1);
    await app.http().get('/health/ready').expect(200);
  });

  it('pauses the scheduled checks rather than risk two replicas running them', () => {
    expect(app.app.get(HealthCheckScheduler).leading).toBe(false);
  });
});
