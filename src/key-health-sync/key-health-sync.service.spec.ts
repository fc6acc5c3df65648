import { loadConfig } from '../config/load-config.js';
import { HealthClock, HealthState } from '../key-health/health-state.service.js';
import type { KeyOutcome, SharedKeyState, UpstreamKeyRef } from '../key-health/key-health.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import type { RedisPubSub } from '../redis/redis-pubsub.service.js';
import type { RoutingTable } from '../routing/routing-table.js';
import type { KeyHealthReport } from './key-health-report.js';
import { KEY_HEALTH_CHANNEL, KeyHealthSync } from './key-health-sync.service.js';

const TEST_SECRETS = { JWT_SECRET: 'test-jwt-secret-'.repeat(2), ENCRYPTION_KEY: '0'.repeat(64) };
const REF: UpstreamKeyRef = { groupId: 1, groupName: 'primary', keyId: 7, masked: 'sk-…abcd' };
const GONE: UpstreamKeyRef = { groupId: 1, groupName: 'primary', keyId: 99, masked: 'sk-…gone' };
const FAILURE: KeyOutcome = { success: false, breakerFailure: true, invalidatesKey: false, kind: 'http_500' };
const AT = 1_700_000_000_000;

const open = (nextAttemptAt: number): SharedKeyState => ({
  breaker: {
    state: 'open',
    consecutiveFailures: 3,
    consecutiveSuccesses: 0,
    openedCount: 1,
    nextAttemptAt,
    recentFailureAt: [],
  },
  cooldownUntil: 0,
  unhealthyUntil: 0,
});
const closed: SharedKeyState = {
  breaker: {
    state: 'closed',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    openedCount: 0,
    recentFailureAt: [],
  },
  cooldownUntil: 0,
  unhealthyUntil: 0,
};
const report = (over: Partial<KeyHealthReport>): KeyHealthReport => ({
  from: 'replica-b',
  at: AT,
  reason: 'failure_threshold',
  ref: REF,
  state: open(AT + 60_000),
  ...over,
});

/** The Redis side as the service sees it: a hash, a channel, and what was sent. */
function fakeRedis(stored: Record<string, string>) {
  const handlers = new Map<string, (text: string) => void>();
  const subscribed: Array<() => void> = [];
  const sent: Array<{ hset: string[]; publish: string[] }> = [];
  const pipeline = () => {
    const batch = { hset: [] as string[], publish: [] as string[] };
    const chain = {
      hset: (...args: string[]) => ((batch.hset = args), chain),
      publish: (...args: string[]) => ((batch.publish = args), chain),
      exec: async () => void sent.push(batch),
    };
    return chain;
  };
  const connection = {
    client: {
      hgetall: async () => stored,
      pipeline,
      set: async () => 'OK',
      get: async () => null,
      pttl: async () => -2,
    },
    key: (name: string) => `p:${name}`,
  } as unknown as RedisConnection;
  const pubsub = {
    subscribe: (channel: string, handler: (text: string) => void) => handlers.set(channel, handler),
    onSubscribed: (listener: () => void) => subscribed.push(listener),
  } as unknown as RedisPubSub;
  return {
    connection,
    pubsub,
    sent,
    deliver: (text: string) => handlers.get(KEY_HEALTH_CHANNEL)!(text),
    resubscribe: () => subscribed.forEach((listener) => listener()),
  };
}

describe(KeyHealthSync.name, () => {
  const clock: HealthClock = { now: () => AT + 1_000, random: () => 0.5 };
  const routing = {
    current: () => ({ groupsByName: new Map([['primary', { id: 1, keys: [{ id: REF.keyId }] }]]) }),
  } as unknown as RoutingTable;
  let health: HealthState;
  let sync: KeyHealthSync;
  let redis: ReturnType<typeof fakeRedis>;

  const start = (stored: Record<string, string> = {}) => {
    health = new HealthState(loadConfig(TEST_SECRETS), clock);
    redis = fakeRedis(stored);
    sync = new KeyHealthSync(health, redis.connection, redis.pubsub, routing);
    sync.onApplicationBootstrap();
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  afterEach(() => sync.onModuleDestroy());

  it('publishes what this replica sees, and keeps it in the hash', async () => {
    start();
    for (let i = 0; i < 3; i += 1) health.recordOutcome(REF, FAILURE, 10);
    await settle();

    expect(redis.sent).toHaveLength(1);
    const [hash, field, text] = redis.sent[0].hset;
    expect([hash, field]).toEqual(['p:key-health', String(REF.keyId)]);
    expect(redis.sent[0].publish).toEqual(['p:key-health', text]);
    expect(JSON.parse(text)).toMatchObject({ from: sync.replicaId, reason: 'failure_threshold', ref: REF });
  });

  it('applies what another replica publishes, without publishing it again', async () => {
    start();
    redis.deliver(JSON.stringify(report({})));
    await settle();

    expect(health.availability(REF.keyId).reason).toBe('breaker_open');
    expect(redis.sent).toEqual([]);
  });

  it('ignores its own reports, older ones, keys it does not route, and malformed ones', () => {
    start();
    redis.deliver(JSON.stringify(report({ at: AT + 500 })));
    redis.deliver(JSON.stringify(report({ at: AT, state: closed, reason: 'success_threshold' }))); // older
    redis.deliver(JSON.stringify(report({ at: AT + 900, from: sync.replicaId, state: closed })));
    redis.deliver(JSON.stringify(report({ at: AT + 900, ref: GONE })));
    redis.deliver('{"not":"a report"}');

    expect(health.availability(REF.keyId).reason).toBe('breaker_open');
    expect(health.stateOf(GONE.keyId)).toBeUndefined();
  });

  it('catches up from the hash whenever its subscription (re)starts', async () => {
    start({ [REF.keyId]: JSON.stringify(report({})) });
    expect(health.isAvailable(REF.keyId)).toBe(true);

    redis.resubscribe();
    await settle();

    expect(health.availability(REF.keyId).reason).toBe('breaker_open');
  });
});
