import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { LifecycleService } from '../../src/common/lifecycle.service.js';
import { UsageRecorder } from '../../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { spawnGateway } from '../support/spawn-gateway.js';
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

describe('streams cut at the end of the shutdown grace (real process, SIGTERM)', () => {
  it('ends a stream still running after SHUTDOWN_GRACE_SECONDS with an error event and exits 0 with its row', async () => {
    const mock = await MockUpstream.start();
    mock.setDefault('*', { kind: 'slow-stream', chunkDelayMs: 200, chunks: 200 });
    const sut = spawnGateway({ SHUTDOWN_GRACE_SECONDS: '1' });
    try {
      const origin = `http://127.0.0.1:${await sut.listening()}`;
      const post = async (path: string, body: unknown, token?: string) => {
        const res = await fetch(`${origin}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        });
        return (await res.json()) as Record<string, string>;
      };
      const { access_token: token } = await post('/admin/auth/login', {
        username: 'admin',
        password: 'proc-test-password',
      });
      await post(
        '/admin/groups',
        {
          groupName: 'g-sigterm',
          providerType: 'openai',
          baseUrl: mock.baseUrl,
          apiKeys: ['upstream-sigterm-key-0001'],
          models: ['m-sigterm'],
        },
        token,
      );
      const { key } = await post('/admin/proxy-keys', { name: 'sigterm' }, token);
      const res = await fetch(`${origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'm-sigterm',
          stream: true,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = Buffer.from((await reader.read()).value!).toString('utf8');
      sut.child.kill('SIGTERM');
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        text += Buffer.from(chunk.value).toString('utf8');

      const last = text.trimEnd().split('\n\n').at(-1)!;
      expect(JSON.parse(last.slice('data: '.length))).toMatchObject({ error: { code: 'shutting_down' } });
      await expect(sut.exited()).resolves.toBe(0);
      const rows = await new Promise<Array<{ status: number }>>((resolve, reject) => {
        const db = new sqlite3.Database(join(sut.dataDir, 'sy.db'), sqlite3.OPEN_READONLY, (openError) => {
          if (openError) return reject(openError);
          db.all('SELECT status FROM request_logs', (error, all: Array<{ status: number }>) => {
            db.close();
            if (error) reject(error);
            else resolve(all);
          });
        });
      });
      expect(rows).toEqual([{ status: 503 }]);
    } finally {
      sut.cleanup();
      await mock.stop();
    }
  });
});
