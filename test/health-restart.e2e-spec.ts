import { HealthPersistence } from '../src/health/health-persistence.service.js';
import type { KeyHealthDto, ProviderHealthDto } from '../src/health/dto/provider-health.dto.js';
import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const ENV = { BREAKER_BASE_BACKOFF_MS: '600000', BREAKER_JITTER_PERCENT: '0' };
const KEYS = {
  open: 'sk-restart-open-0001',
  invalid: 'sk-restart-auth-0002',
  unhealthy: 'sk-restart-chk-0003',
  fine: 'sk-restart-ok-0004',
};

describeEachEngine('health state across a restart', (engine) => {
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  let mock: MockUpstream;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    mock = await MockUpstream.start();
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await mock.stop();
    await receiver.stop();
  });

  const keysOf = async (app: TestApp): Promise<Map<string, KeyHealthDto>> => {
    const gw = await GatewayFixture.for(app);
    const rows: ProviderHealthDto[] = (await gw.admin().get('/api/providers/health').expect(200)).body.data;
    return new Map(rows.map((row) => [row.provider_name, row.keys[0]]));
  };

  it('forgets neither an open breaker, an invalid key, nor an unhealthy one, and alerts nothing new', async () => {
    first = await startTestApp({ engine, env: ENV });
    const gw = await GatewayFixture.for(first);
    for (const [name, key] of Object.entries(KEYS))
      await gw.createGroup({
        groupName: `r-${name}`,
        baseUrl: mock.baseUrl,
        apiKeys: [key],
        models: [`m-${name}`],
        retryCount: 0,
      });
    const proxyKey = (await gw.createProxyKey()).key;
    await gw
      .admin()
      .put('/admin/settings')
      .send({ alerts: { webhooks: [{ url: receiver.url }] } })
      .expect(200);
    await gw
      .admin()
      .put('/api/health-check/config')
      .send({ max_error_count: 1, retry_after_hours: 3 })
      .expect(200);
    const chat = (model: string) =>
      first!
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${proxyKey}`)
        .send({ model, messages: [{ role: 'user', content: 'hi' }] });

    mock.setDefault(KEYS.open, { kind: 'status', status: 500 });
    mock.setDefault(KEYS.invalid, { kind: 'status', status: 403 });
    mock.setDefault(KEYS.unhealthy, { kind: 'status', status: 502 });
    for (let i = 0; i < 3; i += 1) await chat('m-open');
    await chat('m-invalid');
    const unhealthyGroup = (await gw.admin().get('/admin/groups').expect(200)).body.find(
      (g: { groupName: string }) => g.groupName === 'r-unhealthy',
    );
    await gw.admin().post(`/api/health-check/force/${unhealthyGroup.id}`).expect(200);
    await chat('m-fine').expect(200);
    await receiver.waitFor((r) => r.delivered.length === 3);

    const before = await keysOf(first);
    expect([...before.values()].map((key) => key.reason)).toEqual([
      'breaker_open',
      'invalid_credentials',
      'unhealthy_by_checks',
      'ok',
    ]);
    await first.app.get(HealthPersistence).flush();
    await first.close({ keepData: true });
    const reuse = { dataDir: first.dataDir, database: first.database };
    first = undefined;

    second = await startTestApp({ engine, env: ENV, reuse });
    const after = await keysOf(second);
    expect(after.get('r-open')).toMatchObject({
      reason: 'breaker_open',
      breaker_state: 'open',
      status: 'unhealthy',
      consecutive_failures: 3,
    });
    expect(after.get('r-invalid')).toMatchObject({
      reason: 'invalid_credentials',
      status: 'unhealthy',
      last_status_code: 403,
    });
    expect(after.get('r-unhealthy')).toMatchObject({
      reason: 'unhealthy_by_checks',
      error_count: 1,
      last_status_code: 502,
    });
    expect(after.get('r-fine')).toMatchObject({ reason: 'ok', status: 'healthy' });
    // MySQL keeps datetimes to the second.
    for (const name of ['r-open', 'r-unhealthy'])
      expect(
        Math.abs(Date.parse(after.get(name)!.available_at!) - Date.parse(before.get(name)!.available_at!)),
      ).toBeLessThan(1000);

    for (const name of ['r-open', 'r-invalid', 'r-unhealthy']) expect(after.get(name)!.available).toBe(false);
    const gw2 = await GatewayFixture.for(second);
    const configRes = await gw2.admin().get('/api/health-check/config').expect(200);
    expect(configRes.body.data).toMatchObject({ max_error_count: 1, retry_after_hours: 3 });

    // A restored outage is not news; its end is.
    mock.setDefault(KEYS.invalid, { kind: 'ok' });
    const invalidGroup = (await gw2.admin().get('/admin/groups').expect(200)).body.find(
      (g: { groupName: string }) => g.groupName === 'r-invalid',
    );
    await gw2.admin().post(`/api/health-check/force/${invalidGroup.id}`).expect(200);
    await receiver.waitFor((r) => r.delivered.length === 4);
    expect(receiver.delivered.map((body) => body.event)).toEqual([
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'recovered',
    ]);
    expect(receiver.delivered[3]).toMatchObject({ group: 'r-invalid', key: 'sk-…0002' });
  });
});
