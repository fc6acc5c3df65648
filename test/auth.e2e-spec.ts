import { describeEachEngine } from './support/engines.js';
import { craftJwt } from './support/jwt.js';
import { startTestApp, TEST_ADMIN, TEST_JWT_SECRET, TestApp } from './support/test-app.js';

describeEachEngine('admin auth', (engine) => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ engine });
  });
  afterAll(() => sut.close());

  it('logs in with the configured password and returns a bearer token', async () => {
    const res = await sut.http().post('/admin/auth/login').send(TEST_ADMIN).expect(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 12 * 3600,
    });
    const me = await sut
      .http()
      .get('/admin/auth/me')
      .set('Authorization', `Bearer ${res.body.access_token}`)
      .expect(200);
    expect(me.body).toEqual({ id: expect.any(Number), username: 'admin' });
  });

  it('refuses a wrong password with 401 in the admin error shape', async () => {
    const res = await sut
      .http()
      .post('/admin/auth/login')
      .send({ username: 'admin', password: 'wrong' })
      .expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      message: 'Invalid username or password',
      requestId: expect.any(String),
    });
  });

  it('rejects a login body with missing or unknown fields (400)', async () => {
    const res = await sut.http().post('/admin/auth/login').send({ username: 'admin' }).expect(400);
    expect(res.body.message).toContain('password');
    await sut
      .http()
      .post('/admin/auth/login')
      .send({ ...TEST_ADMIN, role: 'root' })
      .expect(400);
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'Bearer not.a.jwt'],
    [
      'expired',
      `Bearer ${craftJwt({ sub: 1, username: 'admin', exp: Math.floor(Date.now() / 1000) - 60 }, { secret: TEST_JWT_SECRET })}`,
    ],
    ['foreign-signed', `Bearer ${craftJwt({ sub: 1, username: 'admin' }, { secret: 'attacker-secret' })}`],
    ['alg none', `Bearer ${craftJwt({ sub: 1, username: 'admin' }, { alg: 'none' })}`],
    [
      'HS512 with the right secret',
      `Bearer ${craftJwt({ sub: 1, username: 'admin' }, { alg: 'HS512', secret: TEST_JWT_SECRET })}`,
    ],
  ])('answers 401 to a %s token', async (_label, header) => {
    const req = sut.http().get('/admin/auth/me');
    if (header) req.set('Authorization', header);
    const res = await req.expect(401);
    expect(res.body.statusCode).toBe(401);
  });

  it('accepts a token it signed itself with HS256', async () => {
    const token = craftJwt(
      { sub: 1, username: 'admin', exp: Math.floor(Date.now() / 1000) + 60 },
      { secret: TEST_JWT_SECRET },
    );
    await sut.http().get('/admin/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('answers unknown routes with JSON in the shape of each surface', async () => {
    const api = await sut.http().get('/api/no-such-route').expect(404);
    expect(api.body).toEqual({ code: 404, message: expect.stringContaining('/api/no-such-route') });
    const admin = await sut.http().get('/no/such/page').expect(404);
    expect(admin.body).toEqual({
      statusCode: 404,
      message: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it('throttles repeated failures for one username from one address with 429 and Retry-After', async () => {
    const username = 'throttled-user';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await sut.http().post('/admin/auth/login').send({ username, password: 'nope' }).expect(401);
    }
    const blocked = await sut
      .http()
      .post('/admin/auth/login')
      .send({ username, password: 'nope' })
      .expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.statusCode).toBe(429);
  });

  it('throttles per client IP across usernames', async () => {
    let last = 0;
    for (let attempt = 0; attempt < 25 && last !== 429; attempt += 1) {
      const res = await sut
        .http()
        .post('/admin/auth/login')
        .set('X-Forwarded-For', '10.9.9.9')
        .send({ username: `user-${attempt}`, password: 'x' });
      last = res.status;
    }
    expect(last).toBe(429);
  });
});
