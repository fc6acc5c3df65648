import { UsageRecorder } from '../../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

// The admin API the dashboard added: the test-alert route, the logs `pinned` filter and the
// per-proxy-key time series.
describeEachEngine('dashboard admin API', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({ engine });
    gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'g-dash',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-dash-1111'],
      models: ['m-dash'],
    });
  });

  afterAll(async () => {
    await sut?.close();
    await mock?.stop();
  });

  describe('serving /dashboard', () => {
    it('answers index.html for client routes, revalidated, under a strict CSP', async () => {
      for (const path of ['/dashboard', '/dashboard/', '/dashboard/groups', '/dashboard/logs/deep/link']) {
        const res = await sut.http().get(path).expect(200);
        expect(res.headers['content-type']).toContain('text/html');
        expect(res.headers['cache-control']).toBe('no-cache');
        expect(res.text).toContain('<div id="app">');
        const csp = res.headers['content-security-policy'];
        expect(csp).toContain("script-src 'self';");
        expect(csp).not.toContain('unsafe-inline');
      }
    });

    it('caches hashed assets for good and answers 404 for a missing one', async () => {
      const index = await sut.http().get('/dashboard/').expect(200);
      const script = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
      expect(script).toBeDefined();
      const asset = await sut.http().get(script!).expect(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      expect(asset.headers['content-type']).toContain('javascript');
      const missing = await sut.http().get('/dashboard/assets/missing-0000.js').expect(404);
      expect(missing.headers['content-type']).toContain('application/json');
      await sut.http().get('/dashboard/favicon.png').expect(404);
    });
  });

  describe('POST /admin/settings/alerts/test', () => {
    it('needs the admin token', async () => {
      await sut.http().post('/admin/settings/alerts/test').expect(401);
    });

    it('answers an empty list without webhooks', async () => {
      const res = await gw.admin().post('/admin/settings/alerts/test').expect(200);
      expect(res.body).toEqual({ results: [] });
    });

    it('delivers one test payload per webhook, reports each, and audits the test', async () => {
      const good = await WebhookReceiver.start();
      const failing = await WebhookReceiver.start({ failFirst: 5 });
      try {
        const secretPath = `${good.url}?token=hook-secret-123`;
        await gw
          .admin()
          .put('/admin/settings')
          .send({ alerts: { webhooks: [{ url: secretPath }, { url: failing.url, events: ['recovered'] }] } })
          .expect(200);

        const res = await gw.admin().post('/admin/settings/alerts/test').expect(200);

        expect(res.body.results).toEqual([
          expect.objectContaining({
            index: 0,
            host: new URL(good.url).host,
            ok: true,
            status: 200,
            error: null,
          }),
          expect.objectContaining({ index: 1, ok: false, status: 500, error: 'HTTP 500' }),
        ]);
        expect(JSON.stringify(res.body)).not.toContain('hook-secret-123');
        expect(good.calls).toHaveLength(1); // no retries for a test
        expect(failing.calls).toHaveLength(1);
        expect(good.calls[0].body).toMatchObject({ event: 'test', reason: 'test' });
        expect(String(good.calls[0].body.text)).toContain('test alert sent by admin');

        const audit = await gw.admin().get('/admin/audit-logs?entity=setting').expect(200);
        expect(audit.body.items[0]).toMatchObject({
          actor: 'admin',
          action: 'test',
          entityId: 'alerts',
          changes: { webhooks: 2, delivered: 1 },
        });
      } finally {
        await gw
          .admin()
          .put('/admin/settings')
          .send({ alerts: { webhooks: [] } });
        await good.stop();
        await failing.stop();
      }
    });
  });

  describe('request logs and series for the dashboard', () => {
    let keyA: { id: number; key: string };
    let keyB: { id: number; key: string };

    beforeAll(async () => {
      keyA = await gw.createProxyKey({ name: 'dash-a' });
      keyB = await gw.createProxyKey({ name: 'dash-b' });
      const chat = (key: string, extra: object = {}) =>
        sut
          .http()
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${key}`)
          .send({ model: 'm-dash', messages: [{ role: 'user', content: 'hi' }], ...extra })
          .expect(200);
      await chat(keyA.key);
      await chat(keyA.key, { backend: 'g-dash' });
      await chat(keyB.key);
      await sut.app.get(UsageRecorder).flush();
    });

    it('filters logs by whether the request pinned its backend', async () => {
      const pinned = await gw.admin().get('/admin/logs?pinned=true').expect(200);
      expect(pinned.body.items.map((row: { pinned: boolean }) => row.pinned)).toEqual([true]);
      const free = await gw.admin().get('/admin/logs?pinned=false').expect(200);
      expect(free.body.total).toBe(2);
      const bad = await gw.admin().get('/admin/logs?pinned=yes').expect(400);
      expect(bad.body.message).toContain('pinned must be true or false');
    });

    it('reports per proxy key the tokens spent and the last use', async () => {
      const res = await gw.admin().get('/admin/stats/proxy-keys').expect(200);
      const byId = new Map(res.body.map((row: { proxyKeyId: number }) => [row.proxyKeyId, row]));
      const newest = (await gw.admin().get(`/admin/logs?proxyKeyId=${keyA.id}&pageSize=1`).expect(200)).body
        .items[0];
      expect(byId.get(keyA.id)).toEqual({
        proxyKeyId: keyA.id,
        tokensUsed: expect.any(Number),
        lastUsedAt: new Date(newest.createdAt).toISOString(),
      });
      const a = byId.get(keyA.id) as { tokensUsed: number };
      const b = byId.get(keyB.id) as { tokensUsed: number };
      expect(a.tokensUsed).toBeGreaterThan(0);
      expect(a.tokensUsed).toBe(2 * b.tokensUsed); // two requests against one, same mock usage
      await sut.http().get('/admin/stats/proxy-keys').expect(401);
    });

    it('splits the time series by proxy key', async () => {
      const res = await gw.admin().get('/admin/stats/timeseries?groupBy=proxyKey').expect(200);
      const byKey = Object.fromEntries(
        res.body.series.map((s: { proxyKeyName: string; points: Array<{ requests: number }> }) => [
          s.proxyKeyName,
          s.points.reduce((sum, p) => sum + p.requests, 0),
        ]),
      );
      expect(byKey).toEqual({ 'dash-a': 2, 'dash-b': 1 });
      expect(res.body.series[0]).toMatchObject({ key: `proxyKey:${keyA.id}`, proxyKeyId: keyA.id });
    });
  });
});
