import { createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { HealthPersistence } from '../src/health/health-persistence.service.js';
import { ProviderValidation } from '../src/health/provider-validation.entity.js';
import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/usage-records.js';

// What a new user meets in the first hour: a local model server's URL written without `/v1`, a
// local server that needs no key, and a first request that fails for a reason the client can read.

const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hello' }] });

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeEachEngine('the first hour', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  let key: string;

  const send = (model: string) =>
    sut.http().post('/v1/chat/completions').set('Authorization', `Bearer ${key}`).send(chat(model));

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({ engine });
    gw = await GatewayFixture.for(sut);
    key = (await gw.createProxyKey({ name: 'first-hour' })).key;
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });
  beforeEach(() => mock.reset());

  it('reads a base URL without a path as the server’s /v1', async () => {
    const group = await gw.createGroup({
      groupName: 'no-v1',
      baseUrl: mock.origin,
      apiKeys: ['sk-no-v1-key-0001'],
      models: ['m-no-v1'],
    });
    expect(group).toMatchObject({ baseUrl: `${mock.origin}/v1` });
    await send('m-no-v1').expect(200);
    expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/chat/completions']);
  });

  it('keeps a base URL that has a path as written', async () => {
    const group = await gw.createGroup({
      groupName: 'with-path',
      baseUrl: `${mock.origin}/v1/`,
      apiKeys: ['sk-with-path-0001'],
      models: ['m-with-path'],
    });
    expect(group).toMatchObject({ baseUrl: `${mock.origin}/v1` });
  });

  describe('a keyless group (a local model server)', () => {
    let groupId: number;

    beforeAll(async () => {
      const group = await gw.createGroup({
        groupName: 'local-llm',
        providerType: 'openai-compatible',
        baseUrl: mock.origin,
        apiKeys: [],
        models: ['llama3'],
      });
      groupId = group.id;
    });

    it('serves its models without sending any credentials', async () => {
      const res = await send('llama3').expect(200);
      expect(res.headers['x-switchyard-backend']).toBe('local-llm');
      expect(mock.requests).toHaveLength(1);
      expect(mock.requests[0].headers.authorization).toBeUndefined();
      expect(mock.requests[0].headers['api-key']).toBeUndefined();
    });

    it('shows one "(no key)" slot with health like any key, and probes it', async () => {
      const view = await gw.admin().get(`/admin/groups/${groupId}`).expect(200);
      expect(view.body.keys).toEqual([
        expect.objectContaining({
          masked: '(no key)',
          usable: true,
          health: expect.objectContaining({ status: 'healthy' }),
        }),
      ]);
      const health = await gw.admin().get(`/api/providers/health/${groupId}`).expect(200);
      expect(health.body.data.keys).toEqual([
        expect.objectContaining({ masked: '(no key)', status: 'healthy' }),
      ]);
      const test = await gw.admin().post(`/admin/groups/${groupId}/test`).expect(200);
      expect(test.body.results ?? test.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ masked: '(no key)', ok: true })]),
      );
      expect(mock.requests.at(-1)).toMatchObject({ path: '/v1/models' });
      expect(mock.requests.at(-1)?.headers.authorization).toBeUndefined();
    });

    it('opens the slot’s breaker like any key’s', async () => {
      mock.setDefault('*', { kind: 'status', status: 500 });
      for (let i = 0; i < 3; i += 1) await send('llama3').expect(502);
      const health = await gw.admin().get(`/api/providers/health/${groupId}`).expect(200);
      expect(health.body.data.keys[0]).toMatchObject({ breaker_state: 'open', reason: 'breaker_open' });
    });

    it('drops the slot when real keys arrive, and takes it back when they go', async () => {
      const withKey = await gw
        .admin()
        .post(`/admin/groups/${groupId}/keys`)
        .send({ apiKey: 'sk-local-real-0001' })
        .expect(201);
      expect(withKey.body.keys.map((k: { masked: string }) => k.masked)).toEqual(['sk-…0001']);
      const body = {
        groupName: 'local-llm',
        providerType: 'openai-compatible',
        baseUrl: mock.origin,
        models: ['llama3'],
      };
      const keyless = await gw
        .admin()
        .put(`/admin/groups/${groupId}`)
        .send({ ...body, apiKeys: [] })
        .expect(200);
      expect(keyless.body.keys.map((k: { masked: string }) => k.masked)).toEqual(['(no key)']);
      const again = await gw
        .admin()
        .put(`/admin/groups/${groupId}`)
        .send({ ...body, apiKeys: [] })
        .expect(200);
      expect(again.body.keys[0].id).toBe(keyless.body.keys[0].id);
    });

    it('is refused, saying what to write, where no key can work', async () => {
      const res = await gw
        .admin()
        .post('/admin/groups')
        .send({ groupName: 'cloud-no-key', providerType: 'openai', apiKeys: [], models: ['gpt-4o'] })
        .expect(400);
      expect(res.body.message).toMatch(/apiKeys may be empty only for .* its own baseUrl/);
    });
  });

  it('clears last_error on a success, keeping the last failure and its time', async () => {
    const group = await gw.createGroup({
      groupName: 'flaky',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-flaky-key-0001'],
      models: ['m-flaky'],
    });
    const keyOf = async () =>
      (await gw.admin().get(`/api/providers/health/${group.id}`).expect(200)).body.data.keys[0];
    mock.script('*', { kind: 'status', status: 500 });
    await gw.admin().post(`/api/health-check/force/${group.id}`).expect(200);
    const failed = await keyOf();
    expect(failed).toMatchObject({ last_status_code: 500, last_error: expect.stringContaining('500') });
    expect(failed.last_failure).toBe(failed.last_error);

    await gw.admin().post(`/api/health-check/force/${group.id}`).expect(200);
    const passed = await keyOf();
    expect(passed).toMatchObject({
      status: 'healthy',
      last_status_code: 200,
      last_error: null,
      last_failure: failed.last_error,
      last_failure_at: failed.last_failure_at,
    });
    expect(Date.parse(passed.last_failure_at)).toBeLessThanOrEqual(Date.parse(passed.last_check_at));

    await sut.app.get(HealthPersistence).flush();
    const row = await sut.app
      .get(DataSource)
      .getRepository(ProviderValidation)
      .findOneByOrFail({ upstreamKeyId: group.keys[0].id });
    expect(row).toMatchObject({ lastError: null, lastFailure: failed.last_error, lastStatusCode: 200 });
  });

  it('names the class of a network failure, not the host, with the request id to find the rest', async () => {
    const port = await closedPort();
    await gw.createGroup({
      groupName: 'refused',
      baseUrl: `http://127.0.0.1:${port}/v1`,
      apiKeys: ['sk-refused-key-0001'],
      models: ['m-refused'],
      retryCount: 0,
    });
    const res = await send('m-refused').expect(502);
    const requestId = res.headers['x-request-id'];
    expect(res.body.error.message).toBe(
      `All 1 attempt(s) failed upstream; last: connection refused. Request id ${requestId}: GET /admin/logs?requestId=${requestId} has the details.`,
    );
    expect(res.body.error.message).not.toContain(String(port));
    let rows: Array<{ requestId: string; errorMessage: string }> = [];
    await waitFor(
      async () => {
        rows = (await gw.admin().get(`/admin/logs?requestId=${requestId}`).expect(200)).body.items;
        return rows.length > 0;
      },
      10_000,
      'the request log row',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].errorMessage).toContain('ECONNREFUSED');
  });
});
