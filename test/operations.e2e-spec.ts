import { LifecycleService } from '../src/common/lifecycle.service.js';
import { describeEachEngine } from './support/engines.js';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app.js';

describeEachEngine('operations', (engine) => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ engine, env: { BODY_LIMIT: '2kb' } });
  });
  afterAll(() => sut.close());

  it('answers the probes', async () => {
    await sut.http().get('/health/live').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    const ready = await sut.http().get('/health/ready').expect(200);
    expect(ready.body.details).toMatchObject({
      database: { status: 'up' },
      migrations: { status: 'up' },
      lifecycle: { status: 'up' },
      routing: { status: 'up', version: expect.any(Number) },
    });
    const summary = await sut.http().get('/health').expect(200);
    expect(summary.body.details.process).toMatchObject({ status: 'up', uptimeSeconds: expect.any(Number) });
  });

  it('echoes a client request id and makes one up otherwise', async () => {
    const echoed = await sut.http().get('/health/live').set('x-request-id', 'trace-123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('trace-123');
    const made = await sut.http().get('/health/live').set('x-request-id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends helmet security headers', async () => {
    const res = await sut.http().get('/health/live').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers an oversized body with 413 in JSON', async () => {
    const res = await sut
      .http()
      .post('/admin/auth/login')
      .send({ username: 'admin', password: 'x'.repeat(4096) })
      .expect(413);
    expect(res.body).toEqual({
      statusCode: 413,
      message: 'Request body is too large',
      requestId: expect.any(String),
    });
  });

  it('answers a body that is not JSON with 400 in JSON', async () => {
    const res = await sut
      .http()
      .post('/admin/auth/login')
      .set('content-type', 'application/json')
      .send('{"username":')
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      message: 'Request body is not valid JSON',
      requestId: expect.any(String),
    });
  });

  it('serves the OpenAPI document and UI', async () => {
    const doc = await sut.http().get('/swagger-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/admin/auth/login',
        '/admin/auth/me',
        '/health/ready',
        '/health/live',
        '/v1/chat/completions',
        '/v1/embeddings',
        '/v1/models',
        '/v1/responses',
        '/v1/messages',
        '/v1/messages/count_tokens',
      ]),
    );
    expect(doc.body.components.schemas.LoginDto.required).toEqual(['username', 'password']);
    const ui = await sut.http().get('/swagger').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('serves the dashboard page', async () => {
    const res = await sut.http().get('/dashboard/').expect(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('keeps passwords and tokens out of the log output', async () => {
    const token = await sut.login();
    await sut
      .http()
      .get('/admin/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .set('x-api-key', 'sk-should-not-leak-1')
      .expect(200);
    await sut
      .http()
      .post('/admin/auth/login')
      .send({ username: 'admin', password: 'wrong-password-leak' })
      .expect(401);
    expect(sut.logs.lines.length).toBeGreaterThan(0);
    for (const secret of [
      TEST_ADMIN.password,
      token,
      'sk-should-not-leak-1',
      'wrong-password-leak',
      sut.config.jwt.secret,
    ]) {
      expect(sut.logs.text).not.toContain(secret);
    }
    const lines = sut.logs
      .parsed()
      .filter((line) => (line.req as { url?: string } | undefined)?.url === '/admin/auth/me');
    expect(lines.at(-1)).toMatchObject({
      req: { headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' } },
    });
  });

  // Last: draining cannot be undone.
  it('fails readiness at once while draining, liveness stays up', async () => {
    sut.app.get(LifecycleService).beginDrain();
    const ready = await sut.http().get('/health/ready').expect(503);
    expect(ready.body.error).toMatchObject({ lifecycle: { status: 'down', message: 'shutting down' } });
    await sut.http().get('/health/live').expect(200);
  });
});
