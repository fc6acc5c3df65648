import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { startTestApp, TestApp } from '../support/test-app.js';

interface AuditRow {
  actor: string;
  action: string;
  entity: string;
}

describeEachEngine('admin authentication bypass', (engine) => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ engine });
  });
  afterAll(() => sut.close());

  it.each([
    ['GET', '/ADMIN/groups'],
    ['GET', '/Admin/groups'],
    ['GET', '/admin/GROUPS'],
    ['GET', '/API/providers/health'],
    ['GET', '/Api/health-check/config'],
    ['GET', '/ADMIN/audit-logs'],
  ])('refuses %s %s without a token (case-variant prefix)', async (method, path) => {
    const res = await sut.http()[method.toLowerCase() as 'get'](path);
    expect([401, 404]).toContain(res.status);
  });

  it('refuses POST /ADMIN/proxy-keys without a token and creates no key (case-variant prefix)', async () => {
    const res = await sut.http().post('/ADMIN/proxy-keys').send({ name: 'stolen' });
    expect([401, 404]).toContain(res.status);
    expect(JSON.stringify(res.body)).not.toMatch(/sk-/);
    const fixture = await GatewayFixture.for(sut);
    const keys = await fixture.admin().get('/admin/proxy-keys').expect(200);
    expect(JSON.stringify(keys.body)).not.toContain('stolen');
  });

  it('records the real admin, never "system", as the actor of a change (no anonymous audit rows)', async () => {
    const fixture = await GatewayFixture.for(sut);
    await fixture.createProxyKey({ name: 'audited-by-admin' });
    const res = await fixture.admin().get('/admin/audit-logs?pageSize=200').expect(200);
    const rows = (res.body as { items: AuditRow[] }).items;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.actor === 'admin')).toBe(true);
  });
});
