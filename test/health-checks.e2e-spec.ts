import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ALERT_DELIVERY_OPTIONS, AlertDeliveryOptions } from '../src/health/alerts/alert-delivery.options.js';
import { AlertDispatcher } from '../src/health/alerts/alert-dispatcher.service.js';
import { HealthCheckScheduler } from '../src/health/health-check.scheduler.js';
import { HEALTH_CHECK_TIMING, HealthCheckTiming } from '../src/health/health-check.timing.js';
import { HealthState } from '../src/key-health/health-state.service.js';
import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 150; // interval_minutes: 1 lasts this long here
const KEY_A = 'sk-flow-aaaa-1111';
const KEY_B = 'sk-flow-bbbb-2222';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachEngine('scheduled health checks and alerts', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  let proxyKey: string;
  let group: { id: number; keys: Array<{ id: number; masked: string }> };
  let scheduler: HealthCheckScheduler;

  const probesOf = (key: string) =>
    mock.requests.filter((r) => r.path === '/v1/models' && r.key === key).length;
  const chat = () =>
    sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${proxyKey}`)
      .send({ model: 'm-flow', messages: [{ role: 'user', content: 'hi' }] });
  const config = (body: object) => gw.admin().put('/api/health-check/config').send(body).expect(200);
  const keyA = async () =>
    (await gw.admin().get(`/api/providers/health/${group.id}`).expect(200)).body.data.keys[0];

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({ engine });
    gw = await GatewayFixture.for(sut);
    group = await gw.createGroup({
      groupName: 'g-flow',
      baseUrl: mock.baseUrl,
      apiKeys: [KEY_A, KEY_B],
      models: ['m-flow'],
    });
    proxyKey = (await gw.createProxyKey({ name: 'flow' })).key;
    scheduler = sut.app.get(HealthCheckScheduler);
    Object.assign(sut.app.get<symbol, HealthCheckTiming>(HEALTH_CHECK_TIMING), {
      minuteMs: MINUTE_MS,
      probeTimeoutMs: 1000,
    });
    Object.assign(sut.app.get<symbol, AlertDeliveryOptions>(ALERT_DELIVERY_OPTIONS), {
      baseDelayMs: 20,
      maxDelayMs: 50,
      timeoutMs: 1000,
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await sut.close();
    await mock.stop();
  });

  it('reschedules without a restart, and enabled: false stops the job', async () => {
    await config({ interval_minutes: 2 });
    expect(scheduler.intervalMs).toBe(2 * MINUTE_MS);
    mock.reset();
    await waitFor(
      () => probesOf(KEY_A) >= 2 && probesOf(KEY_B) === probesOf(KEY_A),
      20 * MINUTE_MS,
      'two complete scheduled runs',
    );
    const runs = probesOf(KEY_A);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(probesOf(KEY_B)).toBe(runs); // every enabled key, each run

    await config({ interval_minutes: 1 });
    expect(scheduler.intervalMs).toBe(MINUTE_MS);

    await config({ enabled: false });
    expect(scheduler.intervalMs).toBeUndefined();
    await scheduler.runNow(); // the run under way, if any, has finished (else one more has run)
    mock.reset();
    await sleep(4 * MINUTE_MS); // an absence: no condition can end this window early
    expect(probesOf(KEY_A)).toBe(0);
    expect(sut.logs.lines.some((line) => line.includes('Health check run: 2 key(s) checked in'))).toBe(true);
  });

  it('finishes a run at the probe deadline when a key hangs, checking the others', async () => {
    const hanging = await gw.createGroup({
      groupName: 'g-hang',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-hang-cccc-3333', 'sk-hang-dddd-4444'],
      models: ['m-hang'],
    });
    mock.setDefault('sk-hang-cccc-3333', { kind: 'hang' });
    const started = Date.now();
    await expect(scheduler.runNow()).resolves.toMatchObject({ checked: 4, passed: 3, failed: 1 });
    expect(Date.now() - started).toBeLessThan(4000);
    const keys = (await gw.admin().get(`/api/providers/health/${hanging.id}`).expect(200)).body.data.keys;
    expect(keys[0]).toMatchObject({
      error_count: 1,
      last_error: expect.stringMatching(/^timeout: /),
      last_status_code: null,
    });
    expect(keys[1]).toMatchObject({ error_count: 0, consecutive_successes: 1 });

    // A deleted group's keys are forgotten: no row, no probe.
    await gw.admin().delete(`/admin/groups/${hanging.id}`).expect(204);
    mock.reset();
    await expect(scheduler.runNow()).resolves.toMatchObject({ checked: 2 });
    expect(
      await sut.app
        .get(DataSource)
        .query(`SELECT * FROM provider_validations WHERE group_id = ${hanging.id}`),
    ).toEqual([]);
  });

  it('max_error_count failures → unhealthy → out of rotation → retry_after → recovered → back, with alerts', async () => {
    const always = await WebhookReceiver.start();
    const flaky = await WebhookReceiver.start({ failFirst: 2 });
    try {
      await gw
        .admin()
        .put('/admin/settings')
        .send({ alerts: { webhooks: [{ url: always.url }, { url: flaky.url, events: ['unhealthy'] }] } })
        .expect(200);
      await config({ max_error_count: 2, retry_after_hours: 1 });
      mock.reset();
      mock.setDefault(KEY_A, {
        kind: 'status',
        status: 500,
        body: { error: { message: `key ${KEY_A} is broken` } },
      });

      await scheduler.runNow();
      expect(await keyA()).toMatchObject({ error_count: 1, reason: 'ok', last_status_code: 500 });
      await scheduler.runNow();
      const down = await keyA();
      expect(down).toMatchObject({
        error_count: 2,
        status: 'unhealthy',
        reason: 'unhealthy_by_checks',
        available: false,
      });
      expect(Date.parse(down.next_retry_at) - Date.now()).toBeGreaterThan(HOUR_MS - 60_000);
      expect(down.last_error).not.toContain(KEY_A);

      // Not probed again before its retry, and never proxied to.
      mock.reset();
      await scheduler.runNow();
      expect(probesOf(KEY_A)).toBe(0);
      expect(probesOf(KEY_B)).toBe(1);
      for (let i = 0; i < 6; i += 1) await chat().expect(200);
      expect(mock.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.key)).toEqual(
        Array(6).fill(KEY_B),
      );

      await always.waitFor((r) => r.delivered.length === 1);
      await flaky.waitFor((r) => r.delivered.length === 1);
      expect(flaky.calls.map((call) => call.status)).toEqual([500, 500, 200]);
      expect(always.delivered[0]).toEqual({
        event: 'unhealthy',
        group: 'g-flow',
        key: 'sk-…1111',
        status_code: 500,
        error: expect.stringContaining('upstream answered 500'),
        at: expect.any(String),
        reason: 'marked_unhealthy',
        text: expect.stringMatching(
          /^:red_circle: Switchyard: key sk-…1111 of group g-flow is unhealthy \(failed its scheduled health checks, retry in 60m\): HTTP 500/,
        ),
      });
      for (const call of [...always.calls, ...flaky.calls]) expect(call.raw).not.toContain(KEY_A);

      // retry_after_hours passes (HealthState's clock moves on), the key answers again: recovered.
      const clock = sut.app.get(HealthState).clock;
      const realNow = clock.now.bind(clock);
      jest.spyOn(clock, 'now').mockImplementation(() => realNow() + HOUR_MS + 1000);
      mock.setDefault(KEY_A, { kind: 'ok' });
      mock.reset();
      await scheduler.runNow();
      expect(probesOf(KEY_A)).toBe(1);
      expect(await keyA()).toMatchObject({
        status: 'healthy',
        reason: 'ok',
        error_count: 0,
        consecutive_successes: 1,
        next_retry_at: null,
      });
      for (let i = 0; i < 4; i += 1) await chat().expect(200);
      expect(mock.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.key)).toContain(
        KEY_A,
      );

      await always.waitFor((r) => r.delivered.length === 2);
      expect(always.delivered[1]).toMatchObject({
        event: 'recovered',
        key: 'sk-…1111',
        error: null,
        reason: 'recovered',
      });
      await sut.app.get(AlertDispatcher).idle();
      expect(flaky.delivered).toHaveLength(1); // subscribed to unhealthy only

      const events = (await gw.admin().get(`/admin/failover-events?keyId=${group.keys[0].id}`).expect(200))
        .body.items;
      expect(events.map((e: { type: string }) => e.type).reverse()).toEqual(['unhealthy', 'recovered']);
    } finally {
      jest.restoreAllMocks();
      await always.stop();
      await flaky.stop();
    }
  });

  it('alerts when live traffic opens a breaker, and a passed check closes it', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      await gw
        .admin()
        .put('/admin/settings')
        .send({ alerts: { webhooks: [{ url: receiver.url }] } })
        .expect(200);
      mock.reset();
      mock.setDefault(KEY_B, { kind: 'status', status: 502 });
      mock.setDefault(KEY_A, { kind: 'status', status: 502 });
      for (let i = 0; i < 4; i += 1) await chat();
      await receiver.waitFor((r) => r.delivered.filter((body) => body.event === 'unhealthy').length === 2);
      expect(receiver.delivered[0]).toMatchObject({
        event: 'unhealthy',
        reason: 'failure_threshold',
        status_code: 502,
      });

      mock.reset();
      await gw.admin().post(`/api/health-check/force/${group.id}`).expect(200);
      await receiver.waitFor((r) => r.delivered.filter((body) => body.event === 'recovered').length === 2);
      const rows = (await gw.admin().get(`/api/providers/health/${group.id}`).expect(200)).body.data;
      expect(rows.keys.map((key: { breaker_state: string }) => key.breaker_state)).toEqual([
        'closed',
        'closed',
      ]);
    } finally {
      await receiver.stop();
    }
  });
});
