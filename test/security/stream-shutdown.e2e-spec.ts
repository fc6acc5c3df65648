import { LifecycleService } from '../../src/common/lifecycle.service.js';
import { UsageRecorder } from '../../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';

// A stream still running when the shutdown grace period ends is cut: the client must see an error
// event (not a clean end it would take for a complete answer), and the request keeps its usage row.
describeEachEngine('streams cut at the end of the shutdown grace', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({ engine });
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  it('ends a stream cut at the end of the shutdown grace with an error event and keeps its usage row', async () => {
    const gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'g-grace',
      baseUrl: mock.baseUrl,
      apiKeys: ['upstream-grace-key-0001'],
      models: ['m-grace'],
    });
    const proxyKey = await gw.createProxyKey({ name: 'grace' });
    mock.setDefault('*', { kind: 'slow-stream', chunkDelayMs: 200, chunks: 100 });
    const res = await fetch(`${sut.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${proxyKey.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm-grace', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const first = await reader.read();
    text += Buffer.from(first.value!).toString('utf8');

    sut.app.get(LifecycleService).endGrace();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += Buffer.from(chunk.value).toString('utf8');

    const last = text.trimEnd().split('\n\n').at(-1)!;
    expect(JSON.parse(last.slice('data: '.length))).toMatchObject({
      error: { code: 'shutting_down', type: 'upstream_error' },
    });
    await sut.app.get(UsageRecorder).flush();
    const logs = await gw.admin().get(`/admin/logs?proxyKeyId=${proxyKey.id}`).expect(200);
    expect(logs.body.items).toHaveLength(1);
    expect(logs.body.items[0]).toMatchObject({ status: 503, errorType: 'shutting_down', stream: true });
  });
});
