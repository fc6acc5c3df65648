import { Redis } from 'ioredis';
import { alternatingThroughput, fixedRate, Target, throughput } from './load.js';

export type Row = [string, string, string, string];

/** Limits high enough never to refuse a benchmark request, so every check runs and passes. */
export const BENCH_LIMITS = { rpm: 1_000_000, tpm: 1_000_000_000, tokenBudget: 1_000_000_000_000 };

export async function redisReachable(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Removes the counters a run left under its own prefix. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    for await (const batch of client.scanStream({ match: `${prefix}*`, count: 100 }))
      if ((batch as string[]).length > 0) await client.del(...(batch as string[]));
  } finally {
    client.disconnect();
  }
}

export interface LimitsTargets {
  /** The mock, called directly. */
  readonly direct: Target;
  /** The key with limits on the gateway counting in memory, and on the one counting in Redis. */
  readonly inMemory: Target;
  readonly inRedis: Target;
  /** The minimal proxy, and the same with one Redis command before and one after each request. */
  readonly floor: Target;
  readonly floorRedis: Target;
}

/**
 * The cost of sharing proxy-key limits through Redis: the same key (RPM, TPM and a budget) on a
 * gateway counting in memory and on one counting in Redis, measured in the same run — throughput
 * in alternating slices, latency interleaved request by request with the mock called directly —
 * beside what the same Redis traffic costs the minimal proxy (one increment awaited before each
 * request, one sent after it).
 */
export async function compareLimits(
  targets: LimitsTargets,
  options: { connections: number; seconds: number; rate: number; count: number },
): Promise<Row[]> {
  const { connections, seconds, rate, count } = options;
  const { direct, inMemory, inRedis, floor, floorRedis } = targets;
  await throughput(inRedis, connections, 2); // warm-up
  await throughput(floorRedis, connections, 1);
  const gateway = await alternatingThroughput([inMemory, inRedis], connections, seconds);
  const minimal = await alternatingThroughput([floor, floorRedis], connections, seconds);
  const timed = [direct, floor, floorRedis, inMemory, inRedis];
  await fixedRate(timed, rate, rate);
  const [directL, floorL, floorRedisL, memoryL, redisL] = await fixedRate(timed, rate, count);
  const ms = (value: number) => value.toFixed(3);
  const added = (q: 'p50' | 'p99', a: { p50: number; p99: number }, b: { p50: number; p99: number }) =>
    `${ms(a[q] - directL[q])} → ${ms(b[q] - directL[q])}`;
  const ratio = gateway.rps[1] / gateway.rps[0];
  const floorRatio = minimal.rps[1] / minimal.rps[0];
  const percent = (value: number) => `${Math.round(value * 100)} %`;
  const range = (ratios: number[]) =>
    `slices ${percent(Math.min(...ratios))}–${percent(Math.max(...ratios))}`;
  const redisOverFloor = redisL.p99 - floorL.p99;
  return [
    [
      `limited key, non-stream: req/s at ${connections} conn. (memory → Redis)`,
      '',
      `${gateway.rps[0]} → ${gateway.rps[1]}`,
      `${percent(ratio)} (${range(gateway.ratios)})${ratio >= 0.7 ? ' ok (≥ 70 %)' : ' under 70 %'}`,
    ],
    [
      `floor: req/s at ${connections} conn. (alone → one Redis command before, one after)`,
      '',
      `${minimal.rps[0]} → ${minimal.rps[1]}`,
      `${percent(floorRatio)} (${range(minimal.ratios)})`,
    ],
    [
      `limited key: added p50 at ${rate} req/s (ms, memory → Redis)`,
      ms(directL.p50),
      added('p50', memoryL, redisL),
      `floor ${added('p50', floorL, floorRedisL)}`,
    ],
    [
      `limited key: added p99 at ${rate} req/s (ms, memory → Redis)`,
      ms(directL.p99),
      added('p99', memoryL, redisL),
      `floor ${added('p99', floorL, floorRedisL)}; Redis key − floor ${ms(redisOverFloor)}` +
        (redisOverFloor < 1 ? ' ok (< 1)' : ' over 1'),
    ],
  ];
}
