import { HealthState } from '../src/key-health/health-state.service.js';
import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

// Long enough that a loaded machine cannot pass it between opening a breaker and reading it.
const BACKOFF_MS = 2500;
const chat = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'hello' }],
  ...extra,
});

describeEachEngine('failover, breakers and routing', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  let key: string;
  const keyIds = new Map<string, number>();
  const groupIds = new Map<string, number>();

  const send = (body: object, headers: Record<string, string> = {}) => {
    const req = sut.http().post('/v1/chat/completions').set('Authorization', `Bearer ${key}`);
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return req.send(body);
  };
  const group = async (
    groupName: string,
    apiKeys: string[],
    model: string,
    extra: Record<string, unknown> = {},
  ) => {
    const created = await gw.createGroup({
      groupName,
      baseUrl: mock.baseUrl,
      apiKeys,
      models: [model],
      ...extra,
    });
    created.keys.forEach((k, i) => keyIds.set(apiKeys[i], k.id));
    groupIds.set(groupName, created.id);
  };
  const keysSeen = (model: string) =>
    mock.requests.filter((r) => (r.body as { model?: string }).model === model).map((r) => r.key);
  const health = () => sut.app.get(HealthState);

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({
      engine,
      env: {
        BREAKER_BASE_BACKOFF_MS: String(BACKOFF_MS),
        BREAKER_JITTER_PERCENT: '0',
        RATE_LIMIT_MAX_COOLDOWN_MS: '5000',
      },
    });
    gw = await GatewayFixture.for(sut);
    await group('g-500', ['sk-500-a', 'sk-500-b'], 'm-500');
    await group('g-auth', ['sk-auth-bad', 'sk-auth-good'], 'm-auth');
    await group('g-429', ['sk-429-a', 'sk-429-b'], 'm-429');
    await group('g-400', ['sk-400-a', 'sk-400-b'], 'm-400');
    await group('g-503', ['sk-503-a', 'sk-503-b'], 'm-503');
    await group('g-slow', ['sk-slow'], 'm-slow', { timeout: 1, retryCount: 0 });
    await group('g-redirect', ['sk-redirect'], 'm-redirect', { retryCount: 0 });
    await group('g-breaker', ['sk-brk-a', 'sk-brk-b'], 'm-breaker');
    await group('tier-1', ['sk-tier-1'], 'm-tier', { priority: 1, retryCount: 0 });
    await group('tier-2', ['sk-tier-2'], 'm-tier', { priority: 2 });
    await group('g-sticky', ['sk-st-1', 'sk-st-2', 'sk-st-3'], 'm-sticky');
    await group('g-open', ['sk-open'], 'm-open');
    key = (await gw.createProxyKey({ name: 'failover' })).key;
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });
  beforeEach(() => mock.reset());

  it('fails over from a 500 to the next key: x-switchyard-attempts 2', async () => {
    mock.script('*', { kind: 'status', status: 500 });
    const res = await send(chat('m-500')).expect(200);
    expect(res.headers['x-switchyard-attempts']).toBe('2');
    const [first, second] = keysSeen('m-500');
    expect(first).not.toBe(second);
  });

  it('takes a key answering 401 out of rotation', async () => {
    mock.setDefault('sk-auth-bad', { kind: 'status', status: 401 });
    for (let i = 0; i < 6; i += 1) await send(chat('m-auth')).expect(200);
    expect(keysSeen('m-auth').filter((k) => k === 'sk-auth-bad')).toHaveLength(1);
    expect(health().availability(keyIds.get('sk-auth-bad')!)).toMatchObject({
      available: false,
      reason: 'invalid_credentials',
    });
    const view = await gw
      .admin()
      .get(`/admin/groups/${groupIds.get('g-auth')}`)
      .expect(200);
    const healthOf = (id: number) => view.body.keys.find((k: { id: number }) => k.id === id).health;
    expect(healthOf(keyIds.get('sk-auth-bad')!)).toEqual({
      status: 'unhealthy',
      reason: 'invalid_credentials',
      availableAt: null,
    });
    expect(healthOf(keyIds.get('sk-auth-good')!)).toEqual({
      status: 'healthy',
      reason: 'ok',
      availableAt: null,
    });
  });

  it('cools a rate-limited key down for its Retry-After', async () => {
    mock.setDefault('sk-429-a', { kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    for (let i = 0; i < 5; i += 1) await send(chat('m-429')).expect(200);
    expect(keysSeen('m-429').filter((k) => k === 'sk-429-a')).toHaveLength(1);
    expect(health().availability(keyIds.get('sk-429-a')!)).toMatchObject({
      available: false,
      reason: 'cooling_down_429',
    });
    mock.setDefault('sk-429-a', { kind: 'ok' });
    await waitFor(
      () => health().availability(keyIds.get('sk-429-a')!).available,
      5000,
      'the Retry-After cooldown to pass',
    );
    mock.reset();
    for (let i = 0; i < 4; i += 1) await send(chat('m-429')).expect(200);
    expect(keysSeen('m-429')).toContain('sk-429-a');
  });

  it('passes an upstream 400 back unchanged, without failover', async () => {
    const upstreamError = {
      error: {
        message: 'messages[0] is bad',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'bad_message',
      },
    };
    mock.script('*', { kind: 'status', status: 400, body: upstreamError });
    const res = await send(chat('m-400')).expect(400);
    expect(res.body).toEqual(upstreamError);
    expect(keysSeen('m-400')).toHaveLength(1);
  });

  it('retries a 503 on a different key', async () => {
    mock.script('*', { kind: 'status', status: 503 });
    const res = await send(chat('m-503')).expect(200);
    const [first, second] = keysSeen('m-503');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(res.headers['x-switchyard-attempts']).toBe('2');
  });

  it('answers 504 when the upstream times out', async () => {
    mock.setDefault('sk-slow', { kind: 'hang' });
    const started = Date.now();
    const res = await send(chat('m-slow')).expect(504);
    expect(res.body.error.code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('aborts the upstream request within a second when the client goes away', async () => {
    mock.setDefault('sk-slow', { kind: 'hang' });
    const seenBefore = keysSeen('m-slow').length;
    const controller = new AbortController();
    const pending = fetch(`${sut.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(chat('m-slow')),
      signal: controller.signal,
    }).catch(() => undefined);
    await waitFor(() => keysSeen('m-slow').length > seenBefore, 5000, 'the request to reach the upstream');
    const aborted = mock.waitForAbort(1000);
    controller.abort();
    await expect(aborted).resolves.toBeUndefined();
    await pending;
  });

  it('ends a stream cut mid-way with an error event, so the SDK throws', async () => {
    mock.script('*', { kind: 'cut-stream', afterChunks: 2 });
    const stream = await gw
      .openai(key)
      .chat.completions.create({ model: 'm-500', messages: [{ role: 'user', content: 'x' }], stream: true });
    await expect(
      (async () => {
        for await (const chunk of stream) void chunk;
      })(),
    ).rejects.toThrow();
  });

  it('fails over a stream that breaks before its first byte', async () => {
    mock.script('*', { kind: 'reset' });
    const res = await send(chat('m-500', { stream: true })).expect(200);
    expect(res.text).toContain('data: [DONE]');
    expect(res.headers['x-switchyard-attempts']).toBe('2');
  });

  it('never follows a redirect', async () => {
    mock.script('sk-redirect', { kind: 'redirect', location: `${mock.baseUrl}/chat/completions` });
    const res = await send(chat('m-redirect')).expect(502);
    expect(res.body.error.code).toBe('upstream_failed');
    expect(keysSeen('m-redirect')).toHaveLength(1);
  });

  it('opens the breaker after 3 failures, stops traffic, half-opens after the back-off and closes after 2 successes', async () => {
    const failing = keyIds.get('sk-brk-a')!;
    mock.setDefault('sk-brk-a', { kind: 'status', status: 500 });
    for (let i = 0; i < 8 && health().availability(failing).reason !== 'breaker_open'; i += 1)
      await send(chat('m-breaker')).expect(200);
    expect(keysSeen('m-breaker').filter((k) => k === 'sk-brk-a')).toHaveLength(3);
    expect(health().stateOf(failing)?.breaker.state).toBe('open');
    expect(sut.logs.text).toMatch(/circuit opened for g-breaker\/\S+ \(3 consecutive failures\), retry in/);

    mock.reset();
    for (let i = 0; i < 4; i += 1) await send(chat('m-breaker')).expect(200);
    expect(keysSeen('m-breaker')).not.toContain('sk-brk-a');

    mock.setDefault('sk-brk-a', { kind: 'ok' });
    await waitFor(() => health().availability(failing).available, 5000, 'the breaker to turn half-open');
    expect(health().availability(failing)).toMatchObject({ available: true, reason: 'half_open' });
    for (let i = 0; i < 6 && health().stateOf(failing)?.breaker.state !== 'closed'; i += 1)
      await send(chat('m-breaker')).expect(200);
    expect(health().stateOf(failing)?.breaker.state).toBe('closed');
  });

  it('degrades tier by tier by priority', async () => {
    mock.setDefault('sk-tier-1', { kind: 'status', status: 500 });
    const res = await send(chat('m-tier')).expect(200);
    expect(res.headers['x-switchyard-backend']).toBe('tier-2');
    expect(keysSeen('m-tier')).toEqual(['sk-tier-1', 'sk-tier-2']);
  });

  it('pins a request to its backend, never forwarding the field nor falling back', async () => {
    mock.setDefault('sk-tier-1', { kind: 'status', status: 500 });
    const pinnedToBroken = await send(chat('m-tier', { backend: 'tier-1' })).expect(502);
    expect(pinnedToBroken.headers['x-switchyard-attempts']).toBe('1');
    expect(keysSeen('m-tier')).toEqual(['sk-tier-1']);
    mock.reset();
    const pinned = await send(chat('m-tier', { backend: 'tier-2' })).expect(200);
    expect(pinned.headers['x-switchyard-backend']).toBe('tier-2');
    expect(mock.requests[0].body).not.toHaveProperty('backend');
    const line = sut.logs
      .parsed()
      .filter((l) => l.msg === 'proxy request' && l.group === 'tier-2')
      .at(-1);
    expect(line).toMatchObject({ pinned: true, status: 200 });
  });

  it('keeps a session on one key (x-session-id or user) and spreads sessions', async () => {
    for (let i = 0; i < 5; i += 1) await send(chat('m-sticky'), { 'x-session-id': 'session-1' }).expect(200);
    expect(new Set(keysSeen('m-sticky')).size).toBe(1);
    mock.reset();
    for (let i = 0; i < 5; i += 1) await send(chat('m-sticky', { user: 'user-42' })).expect(200);
    expect(new Set(keysSeen('m-sticky')).size).toBe(1);
    mock.reset();
    for (let i = 0; i < 30; i += 1) await send(chat('m-sticky'), { 'x-session-id': `s-${i}` }).expect(200);
    expect(new Set(keysSeen('m-sticky')).size).toBeGreaterThan(1);
  });

  it('fails open: with every key out of rotation it still tries the one due soonest', async () => {
    const only = keyIds.get('sk-open')!;
    health().markInvalid({ groupId: 0, groupName: 'g-open', keyId: only, masked: 'sk-…open' }, 401);
    expect(health().isAvailable(only)).toBe(false);
    const res = await send(chat('m-open')).expect(200);
    expect(res.headers['x-switchyard-backend']).toBe('g-open');
  });
});
