import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { fixedRate, LatencyStats, Target, throughput } from './load.js';
import { peakRssMb, startProcess, startScriptNodeFlags } from './processes.js';
import {
  BENCH_LIMITS,
  compareLimits,
  deleteRedisKeys,
  localRedisPid,
  redisReachable,
  Row,
} from './redis-limits.js';

// `npm run bench`: the gateway's overhead against a direct call to the mock upstream, on this machine.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;
const RATE = 200;
const RATE_COUNT = Number(process.env.BENCH_RATE_COUNT ?? 2000);
const SETTLE_MS = 2000;
const REQUEST_LOGGING = process.env.REQUEST_LOGGING_ENABLED ?? 'true';
const ADMIN = { username: 'admin', password: 'bench-admin-password' };
// The Redis for the run with shared limits; skipped when none answers there.
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
// `BENCH_ONLY=limits`: only the comparison of limits counted in memory and in Redis.
const ONLY_LIMITS = process.env.BENCH_ONLY === 'limits';
// `BENCH_GATEWAY=<dir>/main.js`: another build of the gateway (its parent directory needs the
// project's package.json), e.g. to measure an older commit with this benchmark.
const GATEWAY_MAIN = process.env.BENCH_GATEWAY ?? 'dist/main.js';

const chatBody = (stream: boolean) =>
  JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
    max_tokens: 16,
    ...(stream ? { stream: true } : {}),
  });

async function startGateway(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  return startProcess(
    GATEWAY_MAIN,
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DB_PATH: join(dataDir, 'bench.db'),
      ADMIN_PASSWORD: ADMIN.password,
      REQUEST_LOGGING_ENABLED: REQUEST_LOGGING,
      NODE_ENV: 'production',
      JWT_SECRET: 'bench-jwt-secret-0123456789-0123456789',
      ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      ...(process.env.V8_FLAGS === undefined ? {} : { V8_FLAGS: process.env.V8_FLAGS }),
      ...env,
    },
    /listening on http:\/\/[^:]+:(\d+)/,
    startScriptNodeFlags(),
  );
}

async function main(): Promise<void> {
  const mock = await startProcess('dist-bench/bench/mock-server.js', {}, /MOCK_READY (\S+)/);
  const mockBaseUrl = mock.match[1];
  const gateway = await startGateway();
  const gatewayOrigin = `http://127.0.0.1:${gateway.match[1]}`;
  const floor = await startFloor(mockBaseUrl);
  const floorOrigin = `http://127.0.0.1:${floor.match[1]}`;
  try {
    const { proxyKey, limitedKey } = await configureGateway(gatewayOrigin, mockBaseUrl);
    const mockOrigin = new URL(mockBaseUrl).origin;
    const direct = (stream: boolean): Target => ({
      origin: mockOrigin,
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-bench-upstream' },
      body: chatBody(stream),
    });
    const via = (stream: boolean, origin = gatewayOrigin, key = proxyKey): Target => ({
      origin,
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key}` },
      body: chatBody(stream),
    });
    const minimal = (stream: boolean, origin = floorOrigin): Target => ({
      origin,
      path: '/v1/chat/completions',
      headers: {},
      body: chatBody(stream),
    });

    const rows: Row[] = ONLY_LIMITS ? [] : await measureGateway(direct, via, minimal);
    const rss = peakRssMb(gateway.child.pid as number);
    if (await redisReachable(REDIS_URL)) {
      log(`proxy-key limits in memory and in Redis (${REDIS_URL}), same key on two gateways`);
      const prefix = `switchyard-bench-${randomBytes(4).toString('hex')}:`;
      const shared = await startGateway({ REDIS_URL, REDIS_KEY_PREFIX: prefix });
      const floorRedis = await startFloor(mockBaseUrl, { REDIS_URL, REDIS_KEY_PREFIX: prefix });
      try {
        const origin = `http://127.0.0.1:${shared.match[1]}`;
        const sharedKey = (await configureGateway(origin, mockBaseUrl)).limitedKey;
        const options = { connections: CONNECTIONS, seconds: SECONDS, rate: RATE, count: RATE_COUNT };
        await setTimeout(SETTLE_MS);
        const pid = (started: { child: ChildProcess }) => [started.child.pid as number];
        const targets = {
          direct: direct(false),
          inMemory: { target: via(false, gatewayOrigin, limitedKey), pids: pid(gateway) },
          inRedis: { target: via(false, origin, sharedKey), pids: pid(shared) },
          floor: { target: minimal(false), pids: pid(floor) },
          floorRedis: {
            target: minimal(false, `http://127.0.0.1:${floorRedis.match[1]}`),
            pids: pid(floorRedis),
          },
        };
        rows.push(...(await compareLimits(targets, await localRedisPid(REDIS_URL), options)));
      } finally {
        shared.child.kill('SIGTERM');
        floorRedis.child.kill('SIGTERM');
        await deleteRedisKeys(REDIS_URL, prefix);
      }
    } else log(`no Redis at ${REDIS_URL}: the shared-limits run is skipped`);
    if (!ONLY_LIMITS)
      rows.push(['gateway peak RSS (MB)', '', String(rss), rss <= 150 ? 'ok (≤ 150)' : 'over 150']);
    printTable(rows);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      'bench/results/latest.json',
      JSON.stringify({ at: new Date().toISOString(), requestLogging: REQUEST_LOGGING, rows }, null, 2),
    );
  } finally {
    gateway.child.kill('SIGTERM');
    floor.child.kill('SIGTERM');
    mock.child.kill('SIGTERM');
  }
}

/** The gateway's throughput and latency against the mock directly and the minimal proxy. */
async function measureGateway(
  direct: (stream: boolean) => Target,
  via: (stream: boolean) => Target,
  minimal: (stream: boolean) => Target,
): Promise<Row[]> {
  log('warming up');
  await throughput(via(false), CONNECTIONS, 2);
  await throughput(via(true), CONNECTIONS, 1);

  const rows: Row[] = [];
  let floorLatency: LatencyStats | undefined;
  log(`floor: a minimal node:http + undici proxy, ${CONNECTIONS} connections, ${SECONDS}s`);
  const floorRps = await throughput(minimal(false), CONNECTIONS, SECONDS);
  for (const stream of [false, true]) {
    const label = stream ? 'stream' : 'non-stream';
    log(`${label}: throughput at ${CONNECTIONS} connections, ${SECONDS}s each`);
    const directRps = await throughput(direct(stream), CONNECTIONS, SECONDS);
    const gatewayRps = await throughput(via(stream), CONNECTIONS, SECONDS);
    log(`${label}: ${RATE} req/s fixed rate each, ${RATE_COUNT} requests each, interleaved`);
    // The floor's latency is measured beside the non-stream pair (it only proxies JSON).
    const targets = stream ? [direct(true), via(true)] : [direct(false), via(false), minimal(false)];
    // Measured from a steady state at that rate, not the tail of the saturation run before
    // (the gateway is still writing its request log rows then): a pause, one second unmeasured.
    await setTimeout(SETTLE_MS);
    await fixedRate(targets, RATE, RATE);
    const [directLatency, gatewayLatency, floorNonStream] = await fixedRate(targets, RATE, RATE_COUNT);
    if (!stream) floorLatency = floorNonStream;
    rows.push(...report(label, directRps, gatewayRps, directLatency, gatewayLatency, stream));
  }
  rows.push([
    `floor (minimal proxy, non-stream): req/s at ${CONNECTIONS} conn.`,
    '',
    String(floorRps),
    'what any proxy costs here',
  ]);
  rows.push([
    `floor: p50 / p99 at ${RATE} req/s (ms)`,
    '',
    `${floorLatency?.p50.toFixed(3)} / ${floorLatency?.p99.toFixed(3)}`,
    '',
  ]);
  return rows;
}

function startFloor(mockBaseUrl: string, env: Record<string, string> = {}) {
  return startProcess(
    'dist-bench/bench/floor-server.js',
    { UPSTREAM_URL: mockBaseUrl, ...env },
    /FLOOR_READY (\d+)/,
  );
}

/** A group on the mock, a proxy key without limits and one with (never reached) limits. */
async function configureGateway(
  origin: string,
  mockBaseUrl: string,
): Promise<{ proxyKey: string; limitedKey: string }> {
  const login = await post(origin, '/admin/auth/login', ADMIN);
  const auth = { authorization: `Bearer ${login.access_token}` };
  await post(
    origin,
    '/admin/groups',
    {
      groupName: 'bench',
      providerType: 'openai',
      baseUrl: mockBaseUrl,
      apiKeys: ['sk-bench-upstream'],
      models: ['gpt-4o-mini'],
    },
    auth,
  );
  const key = await post(origin, '/admin/proxy-keys', { name: 'bench' }, auth);
  const limited = await post(origin, '/admin/proxy-keys', { name: 'bench-limited', ...BENCH_LIMITS }, auth);
  return { proxyKey: key.key, limitedKey: limited.key };
}

async function post(
  origin: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Record<string, string>> {
  const res = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

function report(
  label: string,
  directRps: number,
  gatewayRps: number,
  direct: LatencyStats,
  via: LatencyStats,
  stream: boolean,
): Row[] {
  const ms = (value: number) => value.toFixed(3);
  const addedP50 = via.p50 - direct.p50;
  const addedP99 = via.p99 - direct.p99;
  const rows: Row[] = [
    [
      `${label}: req/s at ${CONNECTIONS} connections`,
      String(directRps),
      String(gatewayRps),
      stream ? '' : gatewayRps >= 6000 ? 'ok (≥ 6000)' : 'under 6000',
    ],
    [
      `${label}: p50 latency at ${RATE} req/s (ms)`,
      ms(direct.p50),
      ms(via.p50),
      `added ${ms(addedP50)}${stream ? '' : addedP50 <= 0.3 ? ' ok (≤ 0.3)' : ' over 0.3'}`,
    ],
    [
      `${label}: p99 latency at ${RATE} req/s (ms)`,
      ms(direct.p99),
      ms(via.p99),
      `added ${ms(addedP99)}${stream ? '' : addedP99 <= 1 ? ' ok (≤ 1)' : ' over 1'}`,
    ],
  ];
  if (stream) {
    const addedTtfb = via.ttfbP50 - direct.ttfbP50;
    rows.push([
      `${label}: time to first byte p50 (ms)`,
      ms(direct.ttfbP50),
      ms(via.ttfbP50),
      `added ${ms(addedTtfb)}${addedTtfb <= 1 ? ' ok (≤ 1)' : ' over 1'}`,
    ]);
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const header: [string, string, string, string] = [
    'measure',
    'direct to mock',
    'through gateway',
    'verdict',
  ];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  process.stdout.write(
    `\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n\n`,
  );
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
