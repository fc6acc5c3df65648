import { RoutingTable } from '../src/routing/routing-table.js';
import { hashProxyKey } from '../src/proxy-keys/proxy-key-token.js';
import { describeEachEngine } from './support/engines.js';
import { startTestApp, TestApp } from './support/test-app.js';

// Seed 004's curl body for `POST /admin/proxy-keys`, verbatim.
const SEED_004_PROXY_KEY = { name: 'my-app-key', rpm: 100, enabled: true };

const FULL = {
  name: 'full',
  description: 'every field',
  rpm: 60,
  tpm: 100000,
  enabled: true,
  expiresAt: '2031-02-03T04:05:06Z',
  allowedModels: ['gpt-4*', 'claude-3-opus'],
  allowedGroups: ['pk-group'],
  tokenBudget: 5000000000,
};

describeEachEngine('admin proxy keys', (engine) => {
  let sut: TestApp;
  let token: string;
  const issued: string[] = [];
  const responses: string[] = [];

  async function call(
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    body?: object,
    status = 200,
  ) {
    const req = sut.http()[method](path).set('Authorization', `Bearer ${token}`);
    const res = await (body === undefined ? req : req.send(body));
    if (res.status !== status)
      throw new Error(
        `${method.toUpperCase()} ${path} answered ${res.status}, expected ${status}: ${res.text}`,
      );
    if (typeof res.body?.key === 'string') issued.push(res.body.key);
    else responses.push(res.text);
    return res;
  }

  const byHash = (key: string) => sut.app.get(RoutingTable).current().proxyKeysByHash.get(hashProxyKey(key));

  beforeAll(async () => {
    sut = await startTestApp({ engine });
    token = await sut.login();
    await call(
      'post',
      '/admin/groups',
      {
        groupName: 'pk-group',
        providerType: 'openai',
        apiKeys: ['sk-pk-group-key-0000'],
        models: ['gpt-4o'],
      },
      201,
    );
  });
  afterAll(() => sut.close());

  it("creates seed 004's key verbatim and shows the full key only in that answer", async () => {
    const created = await call('post', '/admin/proxy-keys', SEED_004_PROXY_KEY, 201);
    const { key, ...view } = created.body;
    expect(key).toMatch(/^sk-sy-[0-9A-Za-z]{40}$/);
    expect(view).toEqual({
      id: expect.any(Number),
      name: 'my-app-key',
      description: null,
      keyPrefix: `${key.slice(0, 10)}…`,
      rpm: 100,
      tpm: null,
      enabled: true,
      expiresAt: null,
      expired: false,
      allowedModels: [],
      allowedGroups: [],
      tokenBudget: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const one = await call('get', `/admin/proxy-keys/${view.id}`);
    expect(one.body).toEqual(view);
    const list = await call('get', '/admin/proxy-keys');
    expect(list.body).toContainEqual(view);
    expect(byHash(key)).toMatchObject({ id: view.id, name: 'my-app-key', enabled: true, rpm: 100 });
  });

  it('round-trips every field, and PUT resets what it omits', async () => {
    const created = await call('post', '/admin/proxy-keys', FULL, 201);
    expect(created.body).toMatchObject({ ...FULL, expiresAt: '2031-02-03T04:05:06.000Z', expired: false });
    expect(byHash(created.body.key)).toMatchObject({
      tokenBudget: 5000000000,
      allowedModels: FULL.allowedModels,
      allowedGroups: ['pk-group'],
      expiresAt: new Date(FULL.expiresAt),
    });
    const replaced = await call('put', `/admin/proxy-keys/${created.body.id}`, {
      name: 'full-renamed',
      rpm: 5,
    });
    expect(replaced.body).toMatchObject({
      name: 'full-renamed',
      rpm: 5,
      tpm: null,
      description: null,
      expiresAt: null,
      allowedModels: [],
      allowedGroups: [],
      tokenBudget: null,
      enabled: true,
    });
    expect(replaced.body.keyPrefix).toBe(created.body.keyPrefix);
    expect(replaced.body.key).toBeUndefined();
  });

  it('patches only the fields sent; null clears an optional one', async () => {
    const created = await call('post', '/admin/proxy-keys', FULL, 201);
    const patched = await call('patch', `/admin/proxy-keys/${created.body.id}`, {
      tpm: null,
      description: 'changed',
      expiresAt: '2000-01-01T00:00:00Z',
    });
    expect(patched.body).toMatchObject({
      name: 'full',
      rpm: 60,
      tpm: null,
      description: 'changed',
      expired: true,
      allowedGroups: ['pk-group'],
    });
    const disabled = await call('patch', `/admin/proxy-keys/${created.body.id}`, { enabled: false });
    expect(disabled.body.enabled).toBe(false);
    expect(byHash(created.body.key)).toMatchObject({
      enabled: false,
      expiresAt: new Date('2000-01-01T00:00:00Z'),
    });
  });

  it('rotates: the old key stops working at once, the new one works, the full key is shown once', async () => {
    const created = await call('post', '/admin/proxy-keys', { name: 'rotate-me', rpm: 10 }, 201);
    const rotated = await call('post', `/admin/proxy-keys/${created.body.id}/rotate`, undefined, 201);
    expect(rotated.body.key).toMatch(/^sk-sy-[0-9A-Za-z]{40}$/);
    expect(rotated.body.key).not.toBe(created.body.key);
    expect(rotated.body).toMatchObject({
      id: created.body.id,
      name: 'rotate-me',
      rpm: 10,
      keyPrefix: `${rotated.body.key.slice(0, 10)}…`,
    });
    expect(byHash(created.body.key)).toBeUndefined();
    expect(byHash(rotated.body.key)).toMatchObject({ id: created.body.id, name: 'rotate-me' });
    const after = await call('get', `/admin/proxy-keys/${created.body.id}`);
    expect(after.body.key).toBeUndefined();
    expect(after.body.keyPrefix).toBe(rotated.body.keyPrefix);
  });

  it('deletes a key, which stops working at once', async () => {
    const created = await call('post', '/admin/proxy-keys', { name: 'delete-me' }, 201);
    expect(byHash(created.body.key)).toBeDefined();
    await call('delete', `/admin/proxy-keys/${created.body.id}`, undefined, 204);
    expect(byHash(created.body.key)).toBeUndefined();
    await call('get', `/admin/proxy-keys/${created.body.id}`, undefined, 404);
  });

  it.each([
    ['get', ''],
    ['put', ''],
    ['patch', ''],
    ['delete', ''],
    ['post', '/rotate'],
  ] as const)('answers %s /admin/proxy-keys/:id%s for an unknown id with 404', async (method, suffix) => {
    const body = method === 'put' ? { name: 'x' } : method === 'patch' ? { rpm: 1 } : undefined;
    const res = await call(method, `/admin/proxy-keys/424242${suffix}`, body, 404);
    expect(res.body).toEqual({
      statusCode: 404,
      message: 'Proxy key 424242 not found',
      requestId: expect.any(String),
    });
  });

  it.each([
    ['name missing', { name: undefined }, 'name'],
    ['name empty', { name: '' }, 'name'],
    ['name too long', { name: 'n'.repeat(129) }, 'name'],
    ['description too long', { description: 'd'.repeat(1001) }, 'description'],
    ['rpm 0', { rpm: 0 }, 'rpm'],
    ['rpm fractional', { rpm: 1.5 }, 'rpm'],
    ['tpm 0', { tpm: 0 }, 'tpm'],
    ['enabled not a boolean', { enabled: 'yes' }, 'enabled'],
    ['expiresAt not a date', { expiresAt: 'tomorrow' }, 'expiresAt must be an ISO 8601'],
    ['allowedModels not a list', { allowedModels: 'gpt-4' }, 'allowedModels'],
    ['allowedModels with an empty pattern', { allowedModels: [''] }, 'allowedModels'],
    ['allowedGroups with an invalid name', { allowedGroups: ['bad name'] }, 'allowedGroups'],
    [
      'allowedGroups naming an unknown group',
      { allowedGroups: ['pk-group', 'no-such-group'] },
      'unknown groups: no-such-group',
    ],
    ['tokenBudget negative', { tokenBudget: -1 }, 'tokenBudget'],
    [
      'a client-chosen key',
      { key: 'sk-sy-chosen-by-client-000000000000000000' },
      'property key should not exist',
    ],
    ['an unknown field', { owner: 'bob' }, 'property owner should not exist'],
  ])('rejects %s with 400', async (_label, override, message) => {
    const res = await call('post', '/admin/proxy-keys', { name: 'invalid-key', ...override }, 400);
    expect(res.body).toEqual({
      statusCode: 400,
      message: expect.stringContaining(message),
      requestId: expect.any(String),
    });
  });

  it('rejects a PATCH that nulls the name', async () => {
    const created = await call('post', '/admin/proxy-keys', { name: 'patch-400' }, 201);
    await call('patch', `/admin/proxy-keys/${created.body.id}`, { name: null }, 400);
    await call('put', `/admin/proxy-keys/${created.body.id}`, { rpm: 3 }, 400);
  });

  it('never shows a full proxy key outside the create and rotate answers, nor logs it', () => {
    expect(issued.length).toBeGreaterThanOrEqual(6);
    expect(responses.length).toBeGreaterThan(20);
    expect(issued.filter((key) => responses.some((text) => text.includes(key)))).toEqual([]);
    expect(issued.filter((key) => sut.logs.text.includes(key))).toEqual([]);
  });
});
