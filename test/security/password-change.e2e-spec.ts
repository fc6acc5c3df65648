import { describeEachEngine } from '../support/engines.js';
import { startTestApp, TEST_ADMIN, TestApp } from '../support/test-app.js';

const NEW_PASSWORD = 'a-brand-new-admin-password-456';

describeEachEngine('admin password change', (engine) => {
  let sut: TestApp;

  beforeEach(async () => {
    sut = await startTestApp({ engine });
  });
  afterEach(() => sut?.close());

  const me = (token: string) => sut.http().get('/admin/auth/me').set('Authorization', `Bearer ${token}`);
  const change = (token: string, body: object) =>
    sut.http().put('/admin/auth/password').set('Authorization', `Bearer ${token}`).send(body);

  it('revokes tokens issued before PUT /admin/auth/password (a stolen token stops working)', async () => {
    const used = await sut.login();
    const stolen = await sut.login();
    const res = await change(used, {
      currentPassword: TEST_ADMIN.password,
      newPassword: NEW_PASSWORD,
    }).expect(200);
    expect(res.body).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer' });

    await me(stolen).expect(401);
    await me(used).expect(401);
    await me(res.body.access_token).expect(200);
    await sut.http().post('/admin/auth/login').send(TEST_ADMIN).expect(401);
    await sut
      .http()
      .post('/admin/auth/login')
      .send({ ...TEST_ADMIN, password: NEW_PASSWORD })
      .expect(200);

    const audit = await sut
      .http()
      .get('/admin/audit-logs?entity=admin_password')
      .set('Authorization', `Bearer ${res.body.access_token}`)
      .expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ actor: 'admin', action: 'update' })]);
    expect(JSON.stringify(audit.body)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(audit.body)).not.toContain(TEST_ADMIN.password);
  });

  it('refuses a password change with a wrong current password, a short or unchanged new one, or no token', async () => {
    const token = await sut.login();
    await change(token, { currentPassword: 'not-the-password', newPassword: NEW_PASSWORD }).expect(403);
    await change(token, { currentPassword: TEST_ADMIN.password, newPassword: 'short' }).expect(400);
    await change(token, { currentPassword: TEST_ADMIN.password, newPassword: TEST_ADMIN.password }).expect(
      400,
    );
    await change(token, { currentPassword: TEST_ADMIN.password }).expect(400);
    await sut
      .http()
      .put('/admin/auth/password')
      .send({ currentPassword: TEST_ADMIN.password, newPassword: NEW_PASSWORD })
      .expect(401);
    await me(token).expect(200); // nothing changed
  });

  it('throttles guesses of the current password through the change route', async () => {
    const token = await sut.login();
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        change(token, { currentPassword: `guess-${i}`, newPassword: NEW_PASSWORD }),
      ),
    );
    const statuses = guesses.map((res) => res.status);
    expect(statuses.filter((status) => status === 403).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status !== 403).every((status) => status === 429)).toBe(true);
  });

  it('revokes older tokens when ADMIN_PASSWORD changes between starts', async () => {
    const before = await sut.login();
    await sut.close({ keepData: true });
    sut = await startTestApp({
      engine,
      env: { ADMIN_PASSWORD: NEW_PASSWORD },
      reuse: { dataDir: sut.dataDir, database: sut.database },
    });
    await me(before).expect(401);
    await sut
      .http()
      .post('/admin/auth/login')
      .send({ ...TEST_ADMIN, password: NEW_PASSWORD })
      .expect(200);
  });

  it('keeps tokens valid across a restart with the same ADMIN_PASSWORD', async () => {
    const before = await sut.login();
    await sut.close({ keepData: true });
    sut = await startTestApp({ engine, reuse: { dataDir: sut.dataDir, database: sut.database } });
    await me(before).expect(200);
  });
});
