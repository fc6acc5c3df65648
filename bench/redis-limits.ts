import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { alternatingThroughput, fixedRate, LatencyStats, SliceTotals, Target, throughput } from './load.js';

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

/** A target and the processes that serve it (whose CPU time is measured). */
export interface Served {
  readonly target: Target;
  readonly pids: number[];
}

export interface LimitsTargets {
  /** The mock, called directly. */
  readonly direct: Target;
  /** The key with limits on the gateway counting in memory, and on the one counting in Redis. */
  readonly inMemory: Served;
  readonly inRedis: Served;
  /** The minimal proxy, and the same with one Redis command before and one after each request. */
  readonly floor: Served;
  readonly floorRedis: Served;
}

/** The pid of the Redis server at `url` when it runs on this machine (to measure its CPU time). */
export async function localRedisPid(url: string): Promise<number | undefined> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    const info = await client.info('server');
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    return pid > 0 && existsSync(`/proc/${pid}/stat`) ? pid : undefined;
  } finally {
    client.disconnect();
  }
}

/**
 * The cost of sharing proxy-key limits through Redis: the same key (RPM, TPM and a budget) on a
 * gateway counting in memory and on one counting in Redis, measured in the same run — throughput
 * in alternating slices, with the CPU time per request of each gateway and of the Redis server;
 * latency interleaved request by request with the mock called directly — beside what the same
 * Redis traffic costs the minimal proxy (one increment awaited before each request, one sent
 * after it).
 */
export async function compareLimits(
  targets: LimitsTargets,
  redisPid: number | undefined,
  options: { connections: number; seconds: number; rate: number; count: number },
): Promise<Row[]> {
  const { connections, seconds, rate, count } = options;
  const { direct, inMemory, inRedis, floor, floorRedis } = targets;
  const withRedis = (served: Served) => (redisPid ? [...served.pids, redisPid] : served.pids);
  await throughput(inRedis.target, connections, 2); // warm-up
  await throughput(floorRedis.target, connections, 1);
  const gateway = await alternatingThroughput(
    [inMemory.target, inRedis.target],
    [inMemory.pids, withRedis(inRedis)],
    connections,
    seconds,
  );
  const minimal = await alternatingThroughput(
    [floor.target, floorRedis.target],
    [floor.pids, withRedis(floorRedis)],
    connections,
    seconds,
  );
  const timed = [direct, floor.target, floorRedis.target, inMemory.target, inRedis.target];
  await fixedRate(timed, rate, rate);
  const [directL, floorL, floorRedisL, memoryL, redisL] = await fixedRate(timed, rate, count);
  const ms = (value: number) => value.toFixed(3);
  const us = (value: number | undefined) => (value === undefined ? '?' : value.toFixed(0));
  const added = (q: 'p50' | 'p99', a: LatencyStats, b: LatencyStats) =>
    `${ms(a[q] - directL[q])} → ${ms(b[q] - directL[q])}`;
  const percent = (value: number) => `${Math.round(value * 100)} %`;
  const ratioOf = (run: { sides: SliceTotals[]; ratios: number[] }) => {
    const ratio = run.sides[1].rps / run.sides[0].rps;
    const range = `slices ${percent(Math.min(...run.ratios))}–${percent(Math.max(...run.ratios))}`;
    return { ratio, text: `${percent(ratio)} (${range})` };
  };
  const cpu = (run: { sides: SliceTotals[] }): [string, string] => {
    const [alone, shared] = run.sides;
    const redis = redisPid ? `, Redis server ${us(shared.cpuPerRequest[1])}` : '';
    const sharedTotal = shared.cpuPerRequest.reduce((sum, value) => sum + value, 0);
    return [
      `${us(alone.cpuPerRequest[0])} → ${us(shared.cpuPerRequest[0])}${redis}`,
      `CPU-bound ratio ${percent(alone.cpuPerRequest[0] / sharedTotal)}`,
    ];
  };
  const gatewayRatio = ratioOf(gateway);
  const redisOverFloor = redisL.p99 - floorL.p99;
  return [
    [
      `limited key, non-stream: req/s at ${connections} conn. (memory → Redis)`,
      '',
      `${gateway.sides[0].rps} → ${gateway.sides[1].rps}`,
      `${gatewayRatio.text}${gatewayRatio.ratio >= 0.7 ? ' ok (≥ 70 %)' : ' under 70 %'}`,
    ],
    ['limited key: CPU µs per request (gateway, memory → Redis)', '', ...cpu(gateway)],
    [
      `floor: req/s at ${connections} conn. (alone → one Redis command before, one after)`,
      '',
      `${minimal.sides[0].rps} → ${minimal.sides[1].rps}`,
      ratioOf(minimal).text,
    ],
    ['floor: CPU µs per request (proxy, alone → with Redis)', '', ...cpu(minimal)],
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
