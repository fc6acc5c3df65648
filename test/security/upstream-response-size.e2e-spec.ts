import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';

const MB = 1024 * 1024;
const chat = (model: string, stream = false) => ({
  model,
  stream,
  messages: [{ role: 'user', content: 'hello' }],
});

// One hostile or broken upstream answer must not take the process's memory: bodies read whole are
// capped by UPSTREAM_MAX_RESPONSE_BYTES (then 502), streams are relayed without accumulating.
describe('upstream response size', () => {
  let sut: TestApp;
  let mock: MockUpstream;
  let proxyKey: string;

  const post = (body: object) =>
    fetch(`${sut.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${proxyKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const rssGrowthDuring = async (run: () => Promise<void>): Promise<number> => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      await run();
    } finally {
      clearInterval(sampler);
    }
    return Math.max(peak, process.memoryUsage().rss) - before;
  };

  beforeAll(async () => {
    mock = await MockUpstream.start({ record: false });
    sut = await startTestApp({ engine: 'sqlite', env: { UPSTREAM_MAX_RESPONSE_BYTES: '1mb' } });
    const gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'g-size',
      baseUrl: mock.baseUrl,
      apiKeys: ['upstream-size-key-0001'],
      models: ['m-size'],
      retryCount: 0,
    });
    proxyKey = (await gw.createProxyKey({ name: 'size' })).key;
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });
  afterEach(() => mock.reset());

  it('cuts off a 200 MB non-stream answer of unknown length with a 502, memory bounded', async () => {
    mock.setDefault('*', { kind: 'huge-body', bytes: 200 * MB });
    let status = 0;
    let body: { error?: { code?: string; message?: string } } = {};
    const growth = await rssGrowthDuring(async () => {
      const res = await post(chat('m-size'));
      status = res.status;
      body = (await res.json()) as typeof body;
    });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'upstream_response_too_large' });
    expect(body.error?.message).toContain(String(MB));
    expect(growth).toBeLessThan(64 * MB);
  });

  it('refuses a declared 200 MB answer before reading it', async () => {
    mock.setDefault('*', { kind: 'huge-body', bytes: 200 * MB, declareLength: true });
    const res = await post(chat('m-size'));
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'upstream_response_too_large',
    );
  });

  it('does not read a 200 MB upstream error body whole', async () => {
    mock.setDefault('*', { kind: 'huge-body', bytes: 200 * MB, status: 400 });
    let status = 0;
    const growth = await rssGrowthDuring(async () => {
      const res = await post(chat('m-size'));
      status = res.status;
      await res.text();
    });
    expect(status).toBe(502);
    expect(growth).toBeLessThan(64 * MB);
  });

  it('does not buffer a stream event that never ends', async () => {
    mock.setDefault('*', { kind: 'huge-event', bytes: 200 * MB });
    let status = 0;
    const growth = await rssGrowthDuring(async () => {
      const res = await post(chat('m-size', true));
      status = res.status;
      await res.text();
    });
    expect(status).toBe(502);
    expect(growth).toBeLessThan(64 * MB);
  });

  // Backpressure end to end, rather than a process-wide RSS figure (which garbage not yet collected
  // inflates on a loaded machine): while the client reads nothing, the gateway reads no more of the
  // upstream than the sockets' buffers hold; once it reads again, the whole stream arrives.
  it('relays a 64 MB healthy stream without accumulating it', async () => {
    const events = 64 * 1024; // ~1 KB each on the wire
    mock.setDefault('*', { kind: 'long-stream', events, eventBytes: 900 });
    const res = await post(chat('m-size', true));
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let received = (await reader.read()).value?.byteLength ?? 0;

    const writtenWhilePaused = await settledValue(() => mock.faultBytesWritten);
    let tail = '';
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      received += next.value.byteLength;
      tail = (tail + Buffer.from(next.value).toString('utf8')).slice(-200);
    }

    expect(writtenWhilePaused).toBeLessThan(24 * MB);
    expect(received).toBeGreaterThan(60 * MB);
    expect(mock.faultBytesWritten).toBeGreaterThan(60 * MB);
    expect(tail).toContain('data: [DONE]');
  });
});

/** The value once it has stopped changing for 300 ms (backpressure has reached the upstream). */
async function settledValue(read: () => number): Promise<number> {
  let last = -1;
  for (let value = read(); value !== last; value = read()) {
    last = value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return last;
}
