import { startTestApp, TestApp } from './support/test-app.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { ENGINES } from './support/engines.js';

const describeMysql = ENGINES.includes('mysql') ? describe : describe.skip;

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

describeMysql('readiness across a MySQL outage [mysql]', () => {
  let proxy: TcpProxy;
  let sut: TestApp;

  beforeAll(async () => {
    proxy = await new TcpProxy('127.0.0.1', 3306).start();
    sut = await startTestApp({ engine: 'mysql', mysqlHostPort: proxy.hostPort });
  });
  afterAll(async () => {
    await sut.close();
    await proxy.stop();
  });

  it('turns 503 while the database is unreachable and 200 again once it returns, liveness 200 throughout', async () => {
    await sut.http().get('/health/ready').expect(200);

    proxy.cut();
    const down = await eventually(async () => (await sut.http().get('/health/ready')).status === 503, 10_000);
    expect(down).toBe(true);
    const report = await sut.http().get('/health/ready').expect(503);
    expect(report.body.error.database.status).toBe('down');
    await sut.http().get('/health/live').expect(200);

    proxy.restore();
    const up = await eventually(async () => (await sut.http().get('/health/ready')).status === 200, 15_000);
    expect(up).toBe(true);
    await sut.http().get('/health/live').expect(200);
    // The pool healed: a real query through the app works again.
    await sut
      .http()
      .post('/admin/auth/login')
      .send({ username: 'admin', password: 'test-admin-password-123' })
      .expect(200);
  });
});
