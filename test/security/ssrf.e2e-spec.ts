import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { AppConfig } from '../../src/config/app-config.js';
import { HealthState } from '../../src/key-health/health-state.service.js';
import type { Lookup } from '../../src/upstream/guarded-lookup.js';
import { UpstreamClient } from '../../src/upstream/upstream-client.js';
import { classifyAttempt } from '../../src/upstream/upstream-error.js';
import { classifyAddress } from '../../src/upstream/upstream-url-guard.js';
import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';

const group = (baseUrl: string) => ({
  groupName: `g-${Math.random().toString(36).slice(2, 8)}`,
  providerType: 'openai',
  baseUrl,
  models: ['gpt-4o'],
  apiKeys: ['sk-ssrf-test-key-0123456789'],
});

describeEachEngine('SSRF: base URLs at save', (engine) => {
  let app: TestApp;
  let fixture: GatewayFixture;

  beforeAll(async () => {
    app = await startTestApp({ engine }); // UPSTREAM_DENY_PRIVATE off: metadata is refused anyway
    fixture = await GatewayFixture.for(app);
  });
  afterAll(() => app.close());

  it.each([
    ['169.254.169.254 written as ::ffff:a9fe:a9fe', 'http://[::ffff:a9fe:a9fe]/v1'],
    ['169.254.169.254 written as ::169.254.169.254 (IPv4-compatible)', 'http://[::169.254.169.254]/v1'],
    ['169.254.169.254 through NAT64 (64:ff9b::a9fe:a9fe)', 'http://[64:ff9b::a9fe:a9fe]/v1'],
    ['169.254.169.254 written as one decimal number', 'http://2852039166/v1'],
    ['169.254.169.254 written in octal', 'http://0251.0376.0251.0376/v1'],
    ['169.254.169.254 written in hex', 'http://0xa9fea9fe/v1'],
    ['another link-local address (169.254.1.1)', 'http://169.254.1.1/v1'],
    ['an IPv6 link-local address (fe80::1)', 'http://[fe80::1]/v1'],
    ["Alibaba Cloud's metadata address 100.100.100.200", 'http://100.100.100.200/v1'],
    ["AWS's IPv6 metadata address fd00:ec2::254", 'http://[fd00:ec2::254]/v1'],
  ])('refuses a base URL pointing at %s, even without UPSTREAM_DENY_PRIVATE', async (_attack, baseUrl) => {
    const create = await fixture.admin().post('/admin/groups').send(group(baseUrl));
    expect(create.status).toBe(400);
    expect(create.body.message).toMatch(/baseUrl .*cloud metadata or link-local address/);

    const existing = await fixture.createGroup(group('https://api.example.test/v1'));
    const patch = await fixture.admin().patch(`/admin/groups/${existing.id}`).send({ baseUrl });
    expect(patch.status).toBe(400);
    expect(patch.body.message).toMatch(/cloud metadata or link-local/);
  });
});

describeEachEngine('SSRF: host names at connect time, UPSTREAM_DENY_PRIVATE=true', (engine) => {
  let app: TestApp;
  let fixture: GatewayFixture;
  let mock: MockUpstream;
  let loopbackName: string;

  beforeAll(async () => {
    mock = await MockUpstream.start();
    app = await startTestApp({ engine, env: { UPSTREAM_DENY_PRIVATE: 'true' } });
    fixture = await GatewayFixture.for(app);
    // This machine's own name: it resolves to a loopback or private address (checked below).
    loopbackName = hostname();
  });
  afterAll(async () => {
    await app.close();
    await mock.stop();
  });

  it('refuses, at request time, a host name that resolves to a loopback address, without opening the key breaker', async () => {
    const resolved = await lookup(loopbackName, { all: true });
    expect(resolved.every(({ address }) => classifyAddress(address) !== 'public')).toBe(true);
    const port = new URL(mock.origin).port;
    const created = await fixture.createGroup(group(`http://${loopbackName}:${port}/v1`)); // a name: saved
    const keyId = created.keys[0].id;
    const { key } = await fixture.createProxyKey();

    for (let i = 0; i < 8; i += 1) {
      const res = await app
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key}`)
        .send({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
      expect(res.status).toBe(502);
      expect(res.body.error.message).toContain('refused');
    }
    expect(mock.requests).toHaveLength(0);
    const health = app.app.get(HealthState);
    expect(health.stateOf(keyId)?.breaker.state ?? 'closed').toBe('closed');
    expect(health.availability(keyId).available).toBe(true);

    const probe = await fixture.admin().post(`/admin/groups/${created.id}/test`).expect(200);
    expect(probe.body.results[0].ok).toBe(false);
    expect(probe.body.results[0].error).toMatch(/not probed: .*refused: .*loopback or private address/);
    expect(mock.requests).toHaveLength(0);
    expect(health.availability(keyId).available).toBe(true);
  });
});

describe('SSRF: names resolving to metadata or private addresses', () => {
  const resolvingTo =
    (address: string): Lookup =>
    (_hostname, _options, callback) =>
      callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  const send = (client: UpstreamClient, url: string) =>
    client.send({ method: 'GET', url, headers: {}, body: undefined } as never, {
      connectMs: 2000,
      firstByteMs: 2000,
      idleMs: 2000,
      totalMs: 2000,
    });
  const config = (denyPrivate: boolean) => ({ upstreamDenyPrivate: denyPrivate }) as AppConfig;

  it('refuses a DNS name pointing at 169.254.169.254 whatever the setting, as a configuration error', async () => {
    const client = new UpstreamClient(config(false), resolvingTo('169.254.169.254'));
    try {
      const error = await send(client, 'http://imds.example.test/latest/meta-data').catch((e: unknown) => e);
      expect(String(error)).toMatch(/imds\.example\.test \(169\.254\.169\.254\) is a cloud metadata/);
      expect(classifyAttempt({ error })).toMatchObject({ kind: 'refused', breakerFailure: false });
    } finally {
      await client.onModuleDestroy();
    }
  });

  it('refuses a DNS name pointing at 10.x only with UPSTREAM_DENY_PRIVATE', async () => {
    const guarded = new UpstreamClient(config(true), resolvingTo('10.20.30.40'));
    try {
      const error = await send(guarded, 'http://internal.example.test/v1/models').catch((e: unknown) => e);
      expect(String(error)).toMatch(/internal\.example\.test \(10\.20\.30\.40\) is a loopback or private/);
      expect(classifyAttempt({ error }).kind).toBe('refused');
    } finally {
      await guarded.onModuleDestroy();
    }
  });
});
