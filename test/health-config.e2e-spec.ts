import { HealthCheckScheduler } from '../src/health/health-check.scheduler.js';
import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app.js';

describeEachEngine('GET/PUT /api/health-check/config', (engine) => {
  let sut: TestApp;
  let gw: GatewayFixture;

  beforeAll(async () => {
    sut = await startTestApp({ engine });
    gw = await GatewayFixture.for(sut);
  });
  afterAll(() => sut.close());

  it('needs an admin JWT', async () => {
    await expect(sut.http().get('/api/providers/health')).resolves.toMatchObject({
      status: 401,
      body: { code: 401 },
    });
  });

  it('starts with seed 000’s defaults', async () => {
    const res = await gw.admin().get('/api/health-check/config').expect(200);
    expect(res.body).toEqual({
      code: 200,
      data: { enabled: true, interval_minutes: 5, max_error_count: 5, retry_after_hours: 1 },
    });
    expect(sut.app.get(HealthCheckScheduler).intervalMs).toBe(5 * 60_000);
    expect(sut.logs.lines.some((line) => line.includes('Health check service started'))).toBe(true);
  });

  it.each([
    [{ interval_minutes: 0 }, 'interval_minutes'],
    [{ interval_minutes: 2.5 }, 'interval_minutes'],
    [{ max_error_count: 'five' }, 'max_error_count'],
    [{ retry_after_hours: -1 }, 'retry_after_hours'],
    [{ enabled: 'yes' }, 'enabled'],
    [{ interval: 5 }, 'interval'],
  ])('refuses %j with 400', async (body, field) => {
    const res = await gw.admin().put('/api/health-check/config').send(body).expect(400);
    expect(res.body).toMatchObject({ code: 400 });
    expect(res.body.message).toContain(field);
    expect((await gw.admin().get('/api/health-check/config')).body.data.interval_minutes).toBe(5);
  });

  it('stores a change, audits it and reschedules the job at once', async () => {
    const body = { enabled: true, interval_minutes: 10, max_error_count: 1, retry_after_hours: 2 };
    await expect(gw.admin().put('/api/health-check/config').send(body)).resolves.toMatchObject({
      status: 200,
      body: { code: 200, data: body },
    });
    await expect(gw.admin().get('/api/health-check/config')).resolves.toMatchObject({
      body: { data: body },
    });
    expect(sut.app.get(HealthCheckScheduler).intervalMs).toBe(10 * 60_000);
    const audit = await gw.admin().get('/admin/audit-logs?entity=health_check_config').expect(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'update',
      actor: TEST_ADMIN.username,
      changes: { interval_minutes: { from: 5, to: 10 } },
    });
  });
});
