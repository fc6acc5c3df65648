import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

// Linux's USER_HZ, the unit of /proc/<pid>/stat times, is 100 on every architecture Node runs on.
const CLOCK_TICKS = 100;

export interface Target {
  readonly origin: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Closed-loop throughput with autocannon: as many requests as `connections` can push. */
export async function throughput(target: Target, connections: number, seconds: number): Promise<number> {
  return (await closedLoop(target, connections, seconds)).rps;
}

async function closedLoop(
  target: Target,
  connections: number,
  seconds: number,
): Promise<{ rps: number; requests: number }> {
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
  return { rps: Math.round(result.requests.average), requests: result.requests.total };
}

/** One target's side of an alternating run. */
export interface SliceTotals {
  /** Mean req/s over its slices. */
  readonly rps: number;
  /** CPU time per request (µs) of each process given for it, over its slices. */
  readonly cpuPerRequest: number[];
}

/**
 * Closed-loop throughput of two targets measured in alternating slices (A B, B A, A B, …) so that a
 * change in the machine's speed during the run touches both alike, with the CPU time the given
 * processes spent per request (a steadier figure than req/s on a shared machine). Also returns the
 * ratio of the second target's req/s to the first's in each pair of slices.
 */
export async function alternatingThroughput(
  targets: readonly [Target, Target],
  pids: readonly [number[], number[]],
  connections: number,
  seconds: number,
  slices = 4,
): Promise<{ sides: [SliceTotals, SliceTotals]; ratios: number[] }> {
  const slice = Math.max(1, Math.round(seconds / slices));
  const rpsSum = [0, 0];
  const requests = [0, 0];
  const cpu = pids.map((list) => list.map(() => 0));
  const ratios: number[] = [];
  for (let i = 0; i < slices; i += 1) {
    const rps = [0, 0];
    for (const which of i % 2 === 0 ? [0, 1] : [1, 0]) {
      const before = pids[which].map(cpuSeconds);
      const result = await closedLoop(targets[which], connections, slice);
      pids[which].forEach((pid, p) => (cpu[which][p] += cpuSeconds(pid) - before[p]));
      rps[which] = result.rps;
      requests[which] += result.requests;
    }
    rpsSum[0] += rps[0];
    rpsSum[1] += rps[1];
    ratios.push(rps[1] / rps[0]);
  }
  const side = (which: number): SliceTotals => ({
    rps: Math.round(rpsSum[which] / slices),
    cpuPerRequest: cpu[which].map((seconds) => (seconds * 1e6) / Math.max(1, requests[which])),
  });
  return { sides: [side(0), side(1)], ratios };
}

/** User + system CPU time a process has used, in seconds (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; in clock ticks
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export interface LatencyStats {
  readonly p50: number;
  readonly p99: number;
  readonly ttfbP50: number;
  readonly ttfbP99: number;
}

/**
 * Open-loop fixed-rate load with microsecond timing (autocannon's histogram has 1 ms resolution,
 * too coarse for sub-millisecond overheads): each target gets `rate` requests per second, `count`
 * in all, each timed from its start to the first body byte and to the end of the body. The
 * targets' requests alternate one by one, so a change in the machine's speed during the run
 * (frequent here: back-to-back runs of the same target differed by 0.3 ms at p50) touches every
 * target alike instead of whichever happened to run at the time.
 */
export async function fixedRate(
  targets: readonly Target[],
  rate: number,
  count: number,
): Promise<LatencyStats[]> {
  const pools = targets.map((target) => new Pool(target.origin, { connections: 16, pipelining: 1 }));
  const timings = targets.map(() => ({ totals: [] as number[], ttfbs: [] as number[] }));
  const interval = 1000 / rate / targets.length;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count * targets.length; i += 1) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const which = i % targets.length;
    inFlight.push(timeOne(pools[which], targets[which], timings[which]));
  }
  await Promise.all(inFlight);
  await Promise.all(pools.map((pool) => pool.close()));
  return timings.map(({ totals, ttfbs }) => ({
    p50: percentile(totals, 0.5),
    p99: percentile(totals, 0.99),
    ttfbP50: percentile(ttfbs, 0.5),
    ttfbP99: percentile(ttfbs, 0.99),
  }));
}

async function timeOne(
  pool: Pool,
  target: Target,
  into: { totals: number[]; ttfbs: number[] },
): Promise<void> {
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
  into.ttfbs.push(first - sent);
  into.totals.push(done - sent);
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
