import { Redis } from 'ioredis';
import { fixedRate, Target, throughput } from './load.js';

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

/**
 * The cost of sharing proxy-key limits through Redis: the same key (RPM, TPM and a budget) on a
 * gateway counting in memory and on one counting in Redis, measured in the same run, throughput
 * one after the other and latency interleaved request by request (against the mock directly).
 */
export async function compareLimits(
  direct: Target,
  inMemory: Target,
  inRedis: Target,
  options: { connections: number; seconds: number; rate: number; count: number },
): Promise<Row[]> {
  const { connections, seconds, rate, count } = options;
  await throughput(inRedis, connections, 2); // warm-up
  const memoryRps = await throughput(inMemory, connections, seconds);
  const redisRps = await throughput(inRedis, connections, seconds);
  const targets = [direct, inMemory, inRedis];
  await fixedRate(targets, rate, rate);
  const [directLatency, memoryLatency, redisLatency] = await fixedRate(targets, rate, count);
  const ratio = redisRps / memoryRps;
  const ms = (value: number) => value.toFixed(3);
  return [
    [
      `limited key, non-stream: req/s at ${connections} conn. (memory → Redis)`,
      '',
      `${memoryRps} → ${redisRps}`,
      `${Math.round(ratio * 100)} %${ratio >= 0.7 ? ' ok (≥ 70 %)' : ' under 70 %'}`,
    ],
    [
      `limited key: added p99 at ${rate} req/s (ms, memory → Redis)`,
      ms(directLatency.p99),
      `${ms(memoryLatency.p99 - directLatency.p99)} → ${ms(redisLatency.p99 - directLatency.p99)}`,
      `Redis adds ${ms(redisLatency.p99 - memoryLatency.p99)}`,
    ],
  ];
}
