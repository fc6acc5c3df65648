import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { initializeDataSource } from '../src/database/initialize-data-source.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { MysqlLeaderLease } from '../src/lease/mysql-leader-lease.js';
import { RedisLeaderLease } from '../src/lease/redis-leader-lease.js';
import { ENGINES } from './support/engines.js';
import { createTestDatabase, TestDatabase } from './support/mysql.js';
import {
  closeClient,
  deleteRedisKeys,
  redisAvailable,
  testRedisClient,
  uniqueRedisPrefix,
} from './support/redis.js';

// The two leader leases against the real stores: one holder at a time, and a holder that dies
// hands over to the next replica once its lease expires (Redis) or its session ends (MySQL).

const TTL_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(50);
  }
  return Date.now() - started;
}

const withRedis = await redisAvailable();

(withRedis ? describe : describe.skip)(RedisLeaderLease.name, () => {
  const prefix = uniqueRedisPrefix();
  const key = `${prefix}lease:health-check`;
  let clients: Redis[];

  beforeEach(() => {
    clients = [testRedisClient(), testRedisClient(), testRedisClient()];
  });
  afterEach(() => Promise.all(clients.map(closeClient)));
  afterAll(() => deleteRedisKeys(prefix));

  it('has one holder at a time and passes to another replica when the holder stops renewing', async () => {
    const [a, b] = [new RedisLeaderLease(clients[0], key, 'a'), new RedisLeaderLease(clients[1], key, 'b')];
    await expect(a.hold(TTL_MS)).resolves.toBe(true);
    await expect(b.hold(TTL_MS)).resolves.toBe(false);
    await expect(a.hold(TTL_MS)).resolves.toBe(true); // a renewal
    expect(await clients[2].pttl(key)).toBeGreaterThan(TTL_MS / 2);

    clients[0].disconnect(); // replica a dies without releasing
    const waited = await eventually(() => b.hold(TTL_MS), 5 * TTL_MS);
    expect(waited).toBeLessThanOrEqual(TTL_MS + 500);

    // a comes back: it may not renew what b now holds, nor take it.
    const again = new RedisLeaderLease(clients[2], key, 'a');
    await expect(again.hold(TTL_MS)).resolves.toBe(false);
  });

  it('frees the lease at once on release, and a stale holder cannot delete its successor', async () => {
    const [a, b] = [new RedisLeaderLease(clients[0], key, 'a'), new RedisLeaderLease(clients[1], key, 'b')];
    await clients[2].del(key);
    await expect(a.hold(TTL_MS)).resolves.toBe(true);
    await a.release();
    await expect(b.hold(TTL_MS)).resolves.toBe(true);

    await clients[2].set(key, 'b', 'PX', TTL_MS); // as if a's lease had expired and b had taken it
    const stale = new RedisLeaderLease(clients[0], key, 'a');
    Object.assign(stale, { holding: true });
    await stale.release();
    expect(await clients[2].get(key)).toBe('b');
  });
});

(ENGINES.includes('mysql') ? describe : describe.skip)(MysqlLeaderLease.name, () => {
  let database: TestDatabase;
  let other: TestDatabase;
  const sources: DataSource[] = [];
  const open = async (db: TestDatabase) => {
    const source = await new DataSource({
      type: 'mysql',
      url: db.url(),
      extra: { connectionLimit: 3 },
    }).initialize();
    sources.push(source);
    return source;
  };

  beforeAll(async () => {
    [database, other] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
    await Promise.all([database.drop(), other.drop()]);
  });

  it('has one holder per database; a holder whose connection dies frees the lock at once', async () => {
    const [a, b] = [
      new MysqlLeaderLease(await open(database), 'health-check'),
      new MysqlLeaderLease(await open(database), 'health-check'),
    ];
    await expect(a.hold(TTL_MS)).resolves.toBe(true);
    await expect(b.hold(TTL_MS)).resolves.toBe(false);
    await expect(a.hold(TTL_MS)).resolves.toBe(true);
    // Another gateway on another database of the same server has a lock of its own.
    await expect(new MysqlLeaderLease(await open(other), 'health-check').hold(TTL_MS)).resolves.toBe(true);

    await sources[0].destroy(); // replica a dies: its sessions close
    const waited = await eventually(() => b.hold(TTL_MS), 5000);
    expect(waited).toBeLessThan(2000);
    await expect(b.hold(TTL_MS)).resolves.toBe(true);
  });

  it('gives the lock up on release and leaves the pooled connection as it found it', async () => {
    const source = await open(database);
    const [a, b] = [new MysqlLeaderLease(source, 'job'), new MysqlLeaderLease(await open(database), 'job')];
    await expect(a.hold(TTL_MS)).resolves.toBe(true);
    await a.release();
    await expect(b.hold(TTL_MS)).resolves.toBe(true);
    const timeouts = await source.query(
      'SELECT @@SESSION.wait_timeout AS mine, @@GLOBAL.wait_timeout AS global',
    );
    expect(Number(timeouts[0].mine)).toBe(Number(timeouts[0].global));
  });

  it('lets replicas that start together on an empty database take turns to migrate it', async () => {
    const fresh = await createTestDatabase();
    try {
      const options = dataSourceOptions({ type: 'mysql', path: '', url: fresh.url() });
      const started = await Promise.all([initializeDataSource(options), initializeDataSource(options)]);
      sources.push(...started);
      const applied: Array<{ name: string }> = await started[0].query('SELECT name FROM migrations');
      expect(applied.map((row) => row.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    } finally {
      await fresh.drop();
    }
  });
});
