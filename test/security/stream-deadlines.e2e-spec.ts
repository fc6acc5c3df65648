import { HealthState } from '../../src/key-health/health-state.service.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';

const streamChat = (model: string) => ({
  model,
  stream: true,
  messages: [{ role: 'user', content: 'hello' }],
});

// The group `timeout` (1 s here) bounds the wait for the first byte and the gaps between chunks,
// not a healthy stream's length; STREAM_MAX_DURATION_SECONDS may cut a stream, never blaming the key.
describe('stream deadlines', () => {
  let sut: TestApp;
  let mock: MockUpstream;
  let proxyKey: string;
  const keyIds = new Map<string, number>();

  const stream = async (model: string) => {
    const res = await fetch(`${sut.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${proxyKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(streamChat(model)),
    });
    return { status: res.status, text: await res.text() };
  };
  const availability = (key: string) => sut.app.get(HealthState).availability(keyIds.get(key)!);

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({
      engine: 'sqlite',
      env: { STREAM_MAX_DURATION_SECONDS: '4', BREAKER_FAILURE_THRESHOLD: '1' },
    });
    const gw = await GatewayFixture.for(sut);
    for (const name of ['healthy', 'stalled', 'endless']) {
      const key = `upstream-${name}-key-0001`;
      const group = await gw.createGroup({
        groupName: `g-${name}`,
        baseUrl: mock.baseUrl,
        apiKeys: [key],
        models: [`m-${name}`],
        timeout: 1,
        retryCount: 0,
      });
      keyIds.set(key, group.keys[0].id);
    }
    proxyKey = (await gw.createProxyKey({ name: 'deadlines' })).key;
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  it('does not cut a healthy stream that runs longer than the group timeout', async () => {
    // 8 events 250 ms apart: 2 s in all, twice the timeout, never a 1 s gap.
    mock.setDefault('upstream-healthy-key-0001', { kind: 'slow-stream', chunkDelayMs: 250, chunks: 4 });
    const res = await stream('m-healthy');
    expect(res.status).toBe(200);
    expect(res.text).toContain('chunk3');
    expect(res.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(res.text).not.toContain('"error"');
    expect(availability('upstream-healthy-key-0001')).toMatchObject({ available: true, reason: 'ok' });
  });

  it('gives up on an upstream silent for longer than the timeout, and counts it against the key', async () => {
    mock.setDefault('upstream-stalled-key-0001', { kind: 'slow-stream', chunkDelayMs: 3000, chunks: 1 });
    const res = await stream('m-stalled');
    expect(res.status).toBe(504);
    expect(JSON.parse(res.text).error.code).toBe('upstream_timeout');
    expect(availability('upstream-stalled-key-0001').available).toBe(false);
  });

  it('cuts a stream at the maximum duration with an error event, without blaming the key', async () => {
    // 24 events 250 ms apart: 6 s, past the 4 s maximum.
    mock.setDefault('upstream-endless-key-0001', { kind: 'slow-stream', chunkDelayMs: 250, chunks: 20 });
    const res = await stream('m-endless');
    expect(res.status).toBe(200);
    const last = res.text.trimEnd().split('\n\n').at(-1)!;
    expect(JSON.parse(last.slice('data: '.length))).toMatchObject({
      error: { code: 'stream_max_duration' },
    });
    expect(availability('upstream-endless-key-0001')).toMatchObject({ available: true, reason: 'ok' });
  });
});
