import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface Target {
  readonly origin: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Closed-loop throughput with autocannon: as many requests as `connections` can push. */
export async function throughput(target: Target, connections: number, seconds: number): Promise<number> {
  const result = await autocannon({
    url: `${target.origin}${target.path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`throughput run had ${result.non2xx} non-2xx and ${result.errors} errors`);
  return Math.round(result.requests.average);
}

export interface LatencyStats {
  readonly p50: number;
  readonly p99: number;
  readonly ttfbP50: number;
  readonly ttfbP99: number;
}

/**
 * Open-loop fixed-rate load with microsecond timing (autocannon's histogram has 1 ms resolution,
 * too coarse for sub-millisecond overheads): `rate` requests per second for `count` requests,
 * each timed from its scheduled start to the first body byte and to the end of the body.
 */
export async function fixedRate(target: Target, rate: number, count: number): Promise<LatencyStats> {
  const pool = new Pool(target.origin, { connections: 16, pipelining: 1 });
  const totals: number[] = [];
  const ttfbs: number[] = [];
  const interval = 1000 / rate;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      (async () => {
        const sent = performance.now();
        const res = await pool.request({
          method: 'POST',
          path: target.path,
          headers: { 'content-type': 'application/json', ...target.headers },
          body: target.body,
        });
        let first = 0;
        for await (const chunk of res.body) if (first === 0 && chunk.length > 0) first = performance.now();
        const done = performance.now();
        if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
        ttfbs.push(first - sent);
        totals.push(done - sent);
      })(),
    );
  }
  await Promise.all(inFlight);
  await pool.close();
  return {
    p50: percentile(totals, 0.5),
    p99: percentile(totals, 0.99),
    ttfbP50: percentile(ttfbs, 0.5),
    ttfbP99: percentile(ttfbs, 0.99),
  };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
