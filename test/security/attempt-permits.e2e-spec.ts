import { jest } from '@jest/globals';
import { HealthState } from '../../src/key-health/health-state.service.js';
import { UsageRecorder } from '../../src/stats/recorder/usage-recorder.service.js';
import { adapterFor } from '../../src/upstream/adapter-registry.js';
import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/usage-records.js';

const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hello' }] });

// An exception inside an attempt (adapter, serialisation, relay) must still give the key's permit
// back: a leaked in-flight count skews least_used for good, a leaked trial slot blocks a key.
describeEachEngine('attempt permits', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  let proxyKey: { id: number; key: string };
  let keyIds: number[];
  let trialKeyId: number;
  const openai = adapterFor('openai');
  const send = (model: string) =>
    sut.http().post('/v1/chat/completions').set('Authorization', `Bearer ${proxyKey.key}`).send(chat(model));
  const failBuildRequest = () =>
    jest.spyOn(openai, 'buildRequest').mockImplementation(() => {
      throw new TypeError('adapter fault injected by the test');
    });

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({
      engine,
      env: { BREAKER_FAILURE_THRESHOLD: '1', BREAKER_BASE_BACKOFF_MS: '200', BREAKER_JITTER_PERCENT: '0' },
    });
    gw = await GatewayFixture.for(sut);
    const group = await gw.createGroup({
      groupName: 'g-least',
      baseUrl: mock.baseUrl,
      apiKeys: ['upstream-least-a-0001', 'upstream-least-b-0002'],
      models: ['m-least'],
      balancePolicy: 'least_used',
    });
    keyIds = group.keys.map((k) => k.id);
    trialKeyId = (
      await gw.createGroup({
        groupName: 'g-trial',
        baseUrl: mock.baseUrl,
        apiKeys: ['upstream-trial-key-0003'],
        models: ['m-trial'],
        retryCount: 0,
      })
    ).keys[0].id;
    proxyKey = await gw.createProxyKey({ name: 'permits' });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await sut.close();
    await mock.stop();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    mock.reset();
  });

  it('does not leak the in-flight count when the adapter throws before the attempt', async () => {
    const health = sut.app.get(HealthState);
    failBuildRequest();
    for (let i = 0; i < 3; i += 1) {
      const res = await send('m-least').expect(500);
      expect(res.body.error).toMatchObject({ code: 'internal_error', type: 'api_error' });
    }
    expect(keyIds.map((id) => health.inFlight(id))).toEqual([0, 0]);

    jest.restoreAllMocks();
    for (let i = 0; i < 10; i += 1) await send('m-least').expect(200);
    const perKey = ['upstream-least-a-0001', 'upstream-least-b-0002'].map(
      (k) => mock.requests.filter((r) => r.key === k).length,
    );
    expect(Math.min(...perKey)).toBeGreaterThanOrEqual(3); // spread, not 10 of 10 on one key
  });

  it('records a request that ended in an internal error with status 500, not 0, and logs it', async () => {
    failBuildRequest();
    await send('m-least').expect(500);
    await sut.app.get(UsageRecorder).flush();
    const logs = await gw.admin().get(`/admin/logs?proxyKeyId=${proxyKey.id}&pageSize=1`).expect(200);
    expect(logs.body.items[0]).toMatchObject({ status: 500, errorType: 'internal_error' });
    expect(sut.logs.lines.some((line) => line.includes('failed inside the gateway'))).toBe(true);
  });

  it('fails over to the next candidate when the gateway faults before anything reached the client', async () => {
    jest.spyOn(openai, 'buildRequest').mockImplementationOnce(() => {
      throw new TypeError('adapter fault injected by the test');
    });
    const res = await send('m-least').expect(200);
    expect(res.headers['x-switchyard-attempts']).toBe('2');
    expect(keyIds.map((id) => sut.app.get(HealthState).inFlight(id))).toEqual([0, 0]);
  });

  it('does not hold a half-open trial slot when the trial attempt throws', async () => {
    const health = sut.app.get(HealthState);
    mock.script('*', { kind: 'status', status: 500 });
    await send('m-trial').expect(502); // one failure opens the circuit (threshold 1)
    expect(health.availability(trialKeyId).available).toBe(false);
    await waitFor(() => health.availability(trialKeyId).reason === 'half_open', 5000, 'the half-open state');

    failBuildRequest();
    await send('m-trial').expect(500); // the trial attempt throws inside the gateway
    expect(health.inFlight(trialKeyId)).toBe(0);
    expect(health.availability(trialKeyId)).toMatchObject({ available: true, reason: 'half_open' });

    jest.restoreAllMocks();
    await send('m-trial').expect(200);
  });
});
