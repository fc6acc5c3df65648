import { hashSync } from 'bcryptjs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { Agent, request } from 'undici';
import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TEST_ADMIN, TestApp } from '../support/test-app.js';

const CHAT = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }] });
const LOGINS = 200;

interface LoginAnswer {
  status: number;
  retryAfter: string | null;
}

// Every login from its own address (X-Forwarded-For from loopback is trusted), so throttling lets
// all of them reach the hasher.
const STORM_SCRIPT = `
const { workerData, parentPort } = require('node:worker_threads');
const { url, path, count, body } = workerData;
parentPort.postMessage('ready');
parentPort.once('message', () => Promise.all(Array.from({ length: count }, (_, i) =>
  fetch(url + path, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.18.' + Math.floor(i / 250) + '.' + (i % 250) },
    body,
  }).then(async (res) => { await res.arrayBuffer(); return { status: res.status, retryAfter: res.headers.get('retry-after') }; }),
)).then((answers) => parentPort.postMessage(answers)));
`;

/** A thread ready to send LOGINS requests at once; `fire()` starts them and resolves with the answers. */
async function storm(
  url: string,
  path: string,
  body: object | undefined,
): Promise<{ fire(): Promise<LoginAnswer[]> }> {
  const worker = new Worker(STORM_SCRIPT, {
    eval: true,
    workerData: { url, path, count: LOGINS, body: body && JSON.stringify(body) },
  });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    fire: () => {
      const answers = new Promise<LoginAnswer[]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      worker.postMessage('go');
      return answers.finally(() => worker.terminate());
    },
  };
}

function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

describeEachEngine('password hashing', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let proxyKey: string;

  beforeAll(async () => {
    mock = await MockUpstream.start({ record: false });
    sut = await startTestApp({ engine });
    const gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'hashing',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-upstream-hashing'],
      models: ['gpt-4o-mini'],
    });
    proxyKey = (await gw.createProxyKey()).key;
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  /** /v1 latencies (ms) measured one after another on one connection while `during` runs. */
  async function v1LatenciesDuring(during: Promise<unknown>): Promise<number[]> {
    const v1 = new Agent({ connections: 1, pipelining: 0 });
    const proxied = async (): Promise<number> => {
      const started = performance.now();
      const res = await request(`${sut.url}/v1/chat/completions`, {
        method: 'POST',
        dispatcher: v1,
        headers: { authorization: `Bearer ${proxyKey}`, 'content-type': 'application/json' },
        body: CHAT,
      });
      await res.body.dump();
      expect(res.statusCode).toBe(200);
      return performance.now() - started;
    };
    let over = false;
    void during.finally(() => (over = true));
    const latencies: number[] = [];
    while (!over || latencies.length < 100) latencies.push(await proxied());
    await v1.close();
    return latencies;
  }

  it(`keeps /v1 p99 latency during ${LOGINS} concurrent logins within 50 ms of the same burst without hashing (at least 3× it and 250 ms): no hashing on the event loop`, async () => {
    await v1LatenciesDuring(Promise.resolve()); // warm the JIT and the upstream pool
    // The same burst of requests without hashing: what the framework alone costs this (possibly
    // shared) machine. Hashing on the event loop would add 100 ms stalls per login on top.
    const reference = await storm(sut.url, '/health/live', undefined);
    const referenceLatencies = await v1LatenciesDuring(reference.fire());
    const logins = await storm(sut.url, '/admin/auth/login', TEST_ADMIN);
    const answers = logins.fire();
    const latencies = await v1LatenciesDuring(answers);

    const statuses = (await answers).map((res) => res.status);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
    // Excess logins are refused at once (Retry-After) rather than queued on the thread pool.
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
    for (const res of (await answers).filter((r) => r.status === 503))
      expect(Number(res.retryAfter)).toBeGreaterThan(0);
    const figures = { p99: percentile(latencies, 0.99), referenceP99: percentile(referenceLatencies, 0.99) };
    process.stdout.write(`/v1 latency during ${LOGINS} logins: ${JSON.stringify(figures)}\n`);
    // On an idle machine the reference is a few ms, so this is the 50 ms budget; on a machine
    // shared with other work (CI runs two suites at once on two cores), the budget grows with
    // what the same burst costs without hashing, and never drops below 250 ms: p99 of ~100
    // samples is nearly their maximum, one scheduling hiccup. Hashing on the event loop is far
    // beyond either (bcrypt there measured 1,100 ms against a 72 ms reference).
    const budget = Math.max(50 + figures.referenceP99, 3 * figures.referenceP99, 250);
    expect(figures.p99).toBeLessThan(budget);
    // Three rounds of 100+ /v1 requests and a storm of scrypt logins: well past Jest's default 30 s
    // on a loaded machine. Timing out would leave logins in flight to upset the next test.
  }, 120_000);

  it('verifies a legacy bcrypt hash once and stores scrypt in its place (upgrade on login)', async () => {
    const db = sut.app.get(DataSource);
    await db.query('UPDATE admin_users SET password_hash = ? WHERE username = ?', [
      hashSync(TEST_ADMIN.password, 4),
      TEST_ADMIN.username,
    ]);
    await sut
      .http()
      .post('/admin/auth/login')
      .send({ ...TEST_ADMIN, password: 'not-it' })
      .expect(401);
    const [before] = await db.query('SELECT password_hash FROM admin_users WHERE username = ?', [
      TEST_ADMIN.username,
    ]);
    expect(before.password_hash).toMatch(/^\$2[aby]\$/);

    await sut.http().post('/admin/auth/login').send(TEST_ADMIN).expect(200);
    const [after] = await db.query('SELECT password_hash FROM admin_users WHERE username = ?', [
      TEST_ADMIN.username,
    ]);
    expect(after.password_hash).toMatch(/^scrypt\$/);
    await sut.http().post('/admin/auth/login').send(TEST_ADMIN).expect(200);
  });
});
