import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { SharedCounters } from '../src/proxy/limits/shared-counters.js';
import { deleteRedisKeys, redisAvailable, TEST_REDIS_URL, uniqueRedisPrefix } from './support/redis.js';

// The two scripts the limits send on a request's path, against a real Redis, from two
// connections (two replicas): what the requests of one event-loop turn ask goes out in one
// pipeline, a proxy key's admissions share one increment and its tokens one sum, and still each
// request is counted exactly once and gets its own RPM count. The counters are the ones
// rate-limiter-flexible's limiters read and give points back to.

const WINDOW = 60;
const withRedis = await redisAvailable();

(withRedis ? describe : describe.skip)(SharedCounters.name, () => {
  const prefix = uniqueRedisPrefix();
  let clients: Redis[];
  let replicas: SharedCounters[];
  const key = (name: string) => `${prefix}${name}`;

  beforeAll(async () => {
    clients = [0, 1].map(() => new Redis(TEST_REDIS_URL));
    replicas = clients.map((client) => new SharedCounters(client));
    await Promise.all(clients.map((client) => client.ping()));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
    await deleteRedisKeys(prefix);
  });

  it('gives concurrent admissions on two replicas each its own RPM count, 1 to N', async () => {
    const keys = { requests: key('rpm:a'), tokens: key('tpm:a'), spent: key('spent:a') };
    const admissions = await Promise.all(
      Array.from({ length: 200 }, (_, i) => replicas[i % 2].admit(keys, WINDOW)),
    );
    const counts = admissions.map((a) => a.requests?.consumedPoints).sort((x, y) => x! - y!);
    expect(counts).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const ttl = admissions[0].requests!.msBeforeNext;
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await clients[0].ttl(keys.requests)).toBeGreaterThan(55);
  });

  it('reads the TPM counter and the lifetime total, and counts no request without an RPM key', async () => {
    const keys = { tokens: key('tpm:b'), spent: key('spent:b') };
    expect(await replicas[0].admit(keys, WINDOW)).toEqual({
      requests: undefined,
      tokens: { consumedPoints: 0, msBeforeNext: 0 },
      spent: undefined,
    });
    await replicas[1].record(keys.spent, 30, keys.tokens, WINDOW);
    const read = await replicas[0].admit(keys, WINDOW);
    expect(read.tokens?.consumedPoints).toBe(30);
    expect(read.tokens?.msBeforeNext).toBeGreaterThan(55_000);
    expect(read.spent).toBe(30);
    expect(await replicas[0].admit({ spent: keys.spent }, WINDOW)).toEqual({
      requests: undefined,
      tokens: undefined,
      spent: 30,
    });
    expect(await clients[0].keys(`${prefix}rpm:b*`)).toEqual([]);
  });

  it('adds every request’s tokens to both counters exactly once, from both replicas at once', async () => {
    const spent = key('spent:c');
    const tokens = key('tpm:c');
    await clients[0].set(spent, 1000); // the lifetime total carried over
    const totals = await Promise.all(
      Array.from({ length: 300 }, (_, i) => replicas[i % 2].record(spent, i + 1, tokens, WINDOW)),
    );
    const sum = (300 * 301) / 2;
    expect(Number(await clients[0].get(spent))).toBe(1000 + sum);
    expect(Number(await clients[0].get(tokens))).toBe(sum);
    expect(Math.max(...totals)).toBe(1000 + sum);
    expect(Math.min(...totals)).toBeGreaterThan(1000);
    expect(await clients[0].ttl(tokens)).toBeGreaterThan(55);
    expect(await clients[0].ttl(spent)).toBe(-1); // the lifetime total never expires
  });

  it('sends one pipeline per event-loop turn, one script per proxy key, and counts over many turns', async () => {
    const pipelines = jest.spyOn(clients[0], 'pipeline');
    const keys = (id: string) => ({
      requests: key(`rpm:${id}`),
      tokens: key(`tpm:${id}`),
      spent: key(`spent:${id}`),
    });
    const sameTurn = [
      ...Array.from({ length: 20 }, () => replicas[0].admit(keys('f'), WINDOW)),
      ...Array.from({ length: 5 }, () => replicas[0].admit(keys('g'), WINDOW)),
      ...Array.from({ length: 10 }, () => replicas[0].record(key('spent:f'), 3, key('tpm:f'), WINDOW)),
    ];
    await Promise.all(sameTurn);
    expect(pipelines).toHaveBeenCalledTimes(1);
    const sent = pipelines.mock.results[0].value as { length: number };
    expect(sent.length).toBe(3); // f's admissions, g's admissions, f's tokens
    pipelines.mockRestore();

    // spread over many turns and both replicas, interleaved with additions
    const counted: Promise<{ requests?: { consumedPoints: number } }>[] = [];
    for (let turn = 0; turn < 30; turn += 1) {
      for (let i = 0; i < (turn % 4) + 1; i += 1)
        counted.push(replicas[(turn + i) % 2].admit(keys('h'), WINDOW));
      void replicas[turn % 2].record(key('spent:h'), 1, key('tpm:h'), WINDOW);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const counts = (await Promise.all(counted)).map((a) => a.requests!.consumedPoints).sort((x, y) => x - y);
    expect(counts).toEqual(Array.from({ length: counts.length }, (_, i) => i + 1));
    await replicas[0].record(key('spent:h'), 0, key('tpm:h'), WINDOW);
    expect(Number(await clients[0].get(key('spent:h')))).toBe(30);
  });

  it('counts only the lifetime total without a TPM counter', async () => {
    const spent = key('spent:d');
    expect(await replicas[0].record(spent, 7, undefined, WINDOW)).toBe(7);
    expect(await replicas[1].record(spent, 5, undefined, WINDOW)).toBe(12);
  });

  it('shares its counters with rate-limiter-flexible’s limiters (reads, refunds)', async () => {
    const limiter = new RateLimiterRedis({
      storeClient: clients[1],
      keyPrefix: key('rlf'),
      points: 10,
      duration: WINDOW,
    });
    const requests = limiter.getKey('7:10');
    const tokens = limiter.getKey('tpm');
    await replicas[0].admit({ requests, spent: key('spent:e') }, WINDOW);
    await replicas[0].admit({ requests, spent: key('spent:e') }, WINDOW);
    await replicas[0].record(key('spent:e'), 40, tokens, WINDOW);
    expect((await limiter.get('7:10'))?.consumedPoints).toBe(2);
    expect((await limiter.get('tpm'))?.consumedPoints).toBe(40);
    await limiter.reward('7:10', 1);
    const third = await replicas[1].admit({ requests, spent: key('spent:e') }, WINDOW);
    expect(third.requests?.consumedPoints).toBe(2);
  });
});
