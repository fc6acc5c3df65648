import request from 'supertest';
import { ENGINES } from './support/engines.js';
import { MockUpstream } from './support/mock-upstream.js';
import { createTestDatabase, TestDatabase } from './support/mysql.js';
import { deleteRedisKeys, redisAvailable, TEST_REDIS_URL, uniqueRedisPrefix } from './support/redis.js';
import { SpawnedReplica, spawnReplica } from './support/spawn-replica.js';
import { waitFor } from './support/usage-records.js';

// Key health is shared through Redis: a key whose circuit opened on replica A gets no traffic
// from replica B, the half-open trial is sent by one replica, not each, and the recovery reaches
// both. Two gateway processes on one MariaDB database and one Redis.

const PASSWORD = 'replica-health-password';
const BAD = 'sk-health-bad-0001';
const GOOD = 'sk-health-good-0002';
const MODEL = 'm-key-health';
const BACKOFF_MS = 4000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const runs = ENGINES.includes('mysql') && (await redisAvailable());

(runs ? describe : describe.skip)('key health shared by two replicas through Redis', () => {
  const prefix = uniqueRedisPrefix();
  let database: TestDatabase;
  let mock: MockUpstream;
  let replicas: SpawnedReplica[];
  let proxyKey: string;
  let groupId: number;

  const chat = (replica: number) =>
    request(replicas[replica].url)
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${proxyKey}`)
      .send({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
  const badKeyChats = () =>
    mock.requests.filter((r) => r.path === '/v1/chat/completions' && r.key === BAD).length;
  type KeyRow = { masked: string; breaker_state: string; reason: string };
  const badKeyOn = async (replica: number): Promise<KeyRow> => {
    const res = await request(replicas[replica].url)
      .get(`/api/providers/health/${groupId}`)
      .set('Authorization', `Bearer ${replicas[replica].token}`);
    const keys = (res.body as { data: { keys: KeyRow[] } }).data.keys;
    return keys.find((key) => BAD.endsWith(key.masked.slice(-4)))!;
  };
  const breakerOn = async (replica: number): Promise<string> => (await badKeyOn(replica)).breaker_state;
  /**
   * The back-off is over and one replica has claimed the trial: its breaker is half-open (the
   * other holds its own back until the trial's result arrives).
   */
  const trialClaimed = async () =>
    (await badKeyOn(0)).reason === 'half_open' || (await badKeyOn(1)).reason === 'half_open';
  const start = () =>
    spawnReplica(database, PASSWORD, {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      BREAKER_FAILURE_THRESHOLD: '2',
      BREAKER_BASE_BACKOFF_MS: String(BACKOFF_MS),
      BREAKER_JITTER_PERCENT: '0',
      BREAKER_SUCCESS_THRESHOLD: '1',
    });

  beforeAll(async () => {
    [database, mock] = await Promise.all([createTestDatabase(), MockUpstream.start()]);
    replicas = [await start()]; // the first replica migrates the empty database
    replicas.push(await start());
    const admin = (path: string) =>
      request(replicas[0].url).post(path).set('Authorization', `Bearer ${replicas[0].token}`);
    const group = await admin('/admin/groups')
      .send({
        providerType: 'openai',
        groupName: 'g-key-health',
        baseUrl: mock.baseUrl,
        apiKeys: [BAD, GOOD],
        models: [MODEL],
        balancePolicy: 'round_robin',
        retryCount: 1,
      })
      .expect(201);
    groupId = (group.body as { id: number }).id;
    proxyKey = (
      (await admin('/admin/proxy-keys').send({ name: 'key-health' }).expect(201)).body as {
        key: string;
      }
    ).key;
    await waitFor(async () => (await chat(1)).status === 200, 10_000, 'replica B to serve the group');
    mock.setDefault(BAD, { kind: 'status', status: 500 });
  }, 90_000);
  afterAll(async () => {
    replicas?.forEach((replica) => replica.process.cleanup());
    await mock.stop();
    await database.drop();
    await deleteRedisKeys(prefix);
  });

  it('does not send traffic from B to a key whose circuit opened on A', async () => {
    mock.requests.length = 0;
    while (badKeyChats() < 2) await chat(0).expect(200); // failover hides the bad key from the client
    const opened = Date.now();
    await waitFor(async () => (await breakerOn(1)) === 'open', 3000, 'replica B to see the open circuit');
    expect(Date.now() - opened).toBeLessThanOrEqual(1000);

    const before = badKeyChats();
    for (let i = 0; i < 8; i += 1) await chat(1).expect(200);
    expect(badKeyChats()).toBe(before);
    expect(replicas[1].process.stdout()).not.toContain('circuit opened');
  });

  it('sends one half-open trial across both replicas, not one each', async () => {
    const before = badKeyChats();
    await waitFor(trialClaimed, BACKOFF_MS + 5000, 'a replica to claim the half-open trial');
    // Both replicas get requests once the back-off is over: only one of them may try the key.
    for (let round = 0; round < 6; round += 1) await Promise.all([chat(0), chat(1)]);
    expect(badKeyChats() - before).toBe(1);
    // The failed trial re-opened the circuit on both, at the next back-off level.
    expect(await breakerOn(0)).toBe('open');
    expect(await breakerOn(1)).toBe('open');
  });

  it('brings the key back on both replicas after a successful trial', async () => {
    mock.setDefault(BAD, { kind: 'ok' });
    await waitFor(trialClaimed, 2 * BACKOFF_MS + 5000, 'a replica to claim the next trial');
    for (let round = 0; round < 4; round += 1) await Promise.all([chat(0), chat(1)]);
    await waitFor(
      async () => (await breakerOn(0)) === 'closed' && (await breakerOn(1)) === 'closed',
      1000,
      'both replicas to close the circuit',
    );
    // One replica's trial closed it; the other took the news instead of a trial of its own.
    const closings = () =>
      replicas.reduce(
        (sum, replica) => sum + replica.process.stdout().split('circuit closed for').length - 1,
        0,
      );
    await waitFor(() => closings() > 0, 2000, 'the closing to be logged'); // logs are written asynchronously
    await sleep(500); // an absence: a second closing would be logged by now
    expect(closings()).toBe(1);
    const before = badKeyChats();
    for (let i = 0; i < 4; i += 1) await chat(1).expect(200);
    expect(badKeyChats()).toBeGreaterThan(before);
  });
});
