import { DataSource } from 'typeorm';
import { RoutingTable } from '../src/routing/routing-table.js';
import { describeEachEngine } from './support/engines.js';
import { startTestApp, TestApp } from './support/test-app.js';

// Seed 004's curl body for `POST /admin/groups`, verbatim.
const SEED_004_GROUP = {
  groupName: 'openai-primary',
  providerType: 'openai',
  apiKeys: ['sk-your-openai-key-1', 'sk-your-openai-key-2'],
  models: ['gpt-3.5-turbo', 'gpt-4', 'gpt-4-turbo'],
  balancePolicy: 'round_robin',
  retryCount: 3,
  timeout: 60,
  priority: 1,
  enabled: true,
  parameters: {
    temperature: 0.7,
    max_tokens: 2000,
  },
};

const VALID = {
  groupName: 'valid-group',
  providerType: 'openai',
  apiKeys: ['sk-valid-key-0123456789'],
  models: ['gpt-4o'],
};

describeEachEngine('admin groups', (engine) => {
  let sut: TestApp;
  let token: string;
  const secretsSent = new Set<string>();
  const responses: string[] = [];

  async function call(
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    body?: object,
    status = 200,
  ) {
    const keys: unknown[] = [
      ...((body as { apiKeys?: unknown[] })?.apiKeys ?? []),
      (body as { apiKey?: unknown })?.apiKey,
    ];
    for (const key of keys) if (typeof key === 'string' && key.length >= 8) secretsSent.add(key);
    const req = sut.http()[method](path).set('Authorization', `Bearer ${token}`);
    const res = await (body === undefined ? req : req.send(body));
    responses.push(res.text);
    if (res.status !== status)
      throw new Error(
        `${method.toUpperCase()} ${path} answered ${res.status}, expected ${status}: ${res.text}`,
      );
    return res;
  }

  const snapshot = () => sut.app.get(RoutingTable).current();
  const createGroup = async (body: object) => (await call('post', '/admin/groups', body, 201)).body;

  beforeAll(async () => {
    sut = await startTestApp({ engine });
    token = await sut.login();
  });
  afterAll(() => sut.close());

  it("creates seed 004's group verbatim, with every default filled in and its keys masked", async () => {
    const group = await createGroup(SEED_004_GROUP);
    expect(group).toEqual({
      id: expect.any(Number),
      ...SEED_004_GROUP,
      apiKeys: undefined,
      baseUrl: 'https://api.openai.com/v1',
      modelMap: {},
      weight: 1,
      headers: {},
      probe: { kind: 'models' },
      keys: [
        {
          id: expect.any(Number),
          masked: 'sk-…ey-1',
          enabled: true,
          weight: 1,
          usable: true,
          health: { status: 'healthy', reason: 'ok', availableAt: null },
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
        {
          id: expect.any(Number),
          masked: 'sk-…ey-2',
          enabled: true,
          weight: 1,
          usable: true,
          health: { status: 'healthy', reason: 'ok', availableAt: null },
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      ],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const one = await call('get', `/admin/groups/${group.id}`);
    expect(one.body).toEqual(group);
    const list = await call('get', '/admin/groups');
    expect(list.body).toContainEqual(group);
    expect(
      snapshot()
        .groupsForModel('gpt-4')
        .map((g) => g.name),
    ).toContain('openai-primary');
    expect(
      snapshot()
        .groupsByName.get('openai-primary')
        ?.keys.map((key) => key.secret),
    ).toEqual(SEED_004_GROUP.apiKeys);
  });

  it('replaces a group with PUT: omitted fields reset, keys already held keep their ids', async () => {
    const group = await createGroup({
      ...VALID,
      groupName: 'put-me',
      apiKeys: ['sk-put-key-aaaa1111', 'sk-put-key-bbbb2222'],
      weight: 5,
      modelMap: { fast: 'gpt-4o-mini' },
    });
    const [kept] = group.keys;
    const res = await call('put', `/admin/groups/${group.id}`, {
      ...VALID,
      groupName: 'put-me',
      apiKeys: ['sk-put-key-aaaa1111', 'sk-put-key-cccc3333'],
      models: ['gpt-4*'],
    });
    expect(res.body).toMatchObject({
      groupName: 'put-me',
      models: ['gpt-4*'],
      weight: 1,
      modelMap: {},
      retryCount: 3,
    });
    expect(res.body.keys.map((key: { masked: string }) => key.masked)).toEqual(['sk-…1111', 'sk-…3333']);
    expect(res.body.keys[0].id).toBe(kept.id);
    expect(
      snapshot()
        .groupsForModel('gpt-4-turbo')
        .map((g) => g.name),
    ).toContain('put-me');
    expect(
      snapshot()
        .groupsForModel('fast')
        .map((g) => g.name),
    ).not.toContain('put-me');
  });

  it('patches only the fields sent; null resets an optional field to its default', async () => {
    const group = await createGroup({
      ...VALID,
      groupName: 'patch-me',
      providerType: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:9/v1/',
      retryCount: 7,
      headers: { 'X-Team': 'a' },
    });
    expect(group.baseUrl).toBe('http://127.0.0.1:9/v1');
    const res = await call('patch', `/admin/groups/${group.id}`, {
      retryCount: null,
      priority: 4,
      modelMap: { alias: 'gpt-4o' },
    });
    expect(res.body).toMatchObject({
      retryCount: 3,
      priority: 4,
      modelMap: { alias: 'gpt-4o' },
      baseUrl: 'http://127.0.0.1:9/v1',
      headers: { 'X-Team': 'a' },
    });
    const renamed = await call('patch', `/admin/groups/${group.id}`, {
      groupName: 'patched',
      providerType: 'openai',
      baseUrl: null,
    });
    expect(renamed.body).toMatchObject({
      groupName: 'patched',
      baseUrl: 'https://api.openai.com/v1',
      keys: group.keys,
    });
    expect(snapshot().upstreamModel(snapshot().groupsByName.get('patched')!, 'alias')).toBe('gpt-4o');
  });

  it('takes a disabled group out of the routing table and brings it back', async () => {
    const group = await createGroup({ ...VALID, groupName: 'toggle-me', models: ['toggle-model'] });
    expect(snapshot().groupsForModel('toggle-model')).toHaveLength(1);
    await call('patch', `/admin/groups/${group.id}`, { enabled: false });
    expect(snapshot().groupsForModel('toggle-model')).toHaveLength(0);
    await call('patch', `/admin/groups/${group.id}`, { enabled: true });
    expect(snapshot().groupsForModel('toggle-model')).toHaveLength(1);
  });

  it('stores the optional probe and Azure api-version', async () => {
    const azure = await createGroup({
      ...VALID,
      groupName: 'azure-east',
      providerType: 'azure',
      baseUrl: 'https://example.openai.azure.com',
      probe: { kind: 'chat', model: 'gpt-4o' },
    });
    expect(azure).toMatchObject({ apiVersion: '2024-10-21', probe: { kind: 'chat', model: 'gpt-4o' } });
    const pinned = await call('patch', `/admin/groups/${azure.id}`, { apiVersion: '2024-10-01-preview' });
    expect(pinned.body.apiVersion).toBe('2024-10-01-preview');
    expect(snapshot().groupsByName.get('azure-east')).toMatchObject({
      apiVersion: '2024-10-01-preview',
      probe: { kind: 'chat', model: 'gpt-4o' },
    });
  });

  it('masks credential-like header values in answers but sends them upstream', async () => {
    const group = await createGroup({
      ...VALID,
      groupName: 'with-headers',
      headers: { 'X-Api-Key': 'hdr-secret-value-1234', 'X-Team': 'blue' },
    });
    expect(group.headers).toEqual({ 'X-Api-Key': '…1234', 'X-Team': 'blue' });
    expect(snapshot().groupsByName.get('with-headers')?.headers).toEqual({
      'X-Api-Key': 'hdr-secret-value-1234',
      'X-Team': 'blue',
    });
    secretsSent.add('hdr-secret-value-1234');
  });

  it('deletes a group with its keys', async () => {
    const group = await createGroup({ ...VALID, groupName: 'delete-me' });
    await call('delete', `/admin/groups/${group.id}`, undefined, 204);
    await call('get', `/admin/groups/${group.id}`, undefined, 404);
    const [{ count }] = await sut.app
      .get(DataSource)
      .query(`SELECT COUNT(*) AS count FROM provider_keys WHERE group_id = ${group.id}`);
    expect(Number(count)).toBe(0);
    expect(snapshot().groupsByName.has('delete-me')).toBe(false);
  });

  it.each([
    ['get', ''],
    ['put', ''],
    ['patch', ''],
    ['delete', ''],
    ['post', '/keys'],
    ['patch', '/keys/1'],
    ['delete', '/keys/1'],
  ] as const)('answers %s /admin/groups/:id%s for an unknown id with 404', async (method, suffix) => {
    const body =
      method === 'put'
        ? VALID
        : method === 'post'
          ? { apiKey: 'sk-unknown-group-key' }
          : method === 'patch'
            ? { enabled: true }
            : undefined;
    const res = await call(method, `/admin/groups/999999${suffix}`, body, 404);
    expect(res.body).toEqual({
      statusCode: 404,
      message: expect.stringContaining('999999'),
      requestId: expect.any(String),
    });
  });

  it('refuses a taken groupName with 409, whatever its case, on create, PUT and PATCH', async () => {
    await createGroup({ ...VALID, groupName: 'taken' });
    const other = await createGroup({ ...VALID, groupName: 'other' });
    const res = await call('post', '/admin/groups', { ...VALID, groupName: 'taken' }, 409);
    expect(res.body.message).toContain('taken');
    await call('post', '/admin/groups', { ...VALID, groupName: 'TAKEN' }, 409);
    await call('put', `/admin/groups/${other.id}`, { ...VALID, groupName: 'taken' }, 409);
    await call('patch', `/admin/groups/${other.id}`, { groupName: 'Taken' }, 409);
    await call('patch', `/admin/groups/${other.id}`, { groupName: 'other' });
  });

  it.each([
    ['groupName missing', { groupName: undefined }, 'groupName'],
    ['groupName unsafe as a backend name', { groupName: 'bad name!' }, 'groupName'],
    ['groupName too long', { groupName: 'g'.repeat(65) }, 'groupName'],
    ['providerType unknown', { providerType: 'cohere' }, 'providerType must be one of'],
    ['baseUrl not a URL', { baseUrl: 'not a url' }, 'baseUrl'],
    ['baseUrl not http(s)', { baseUrl: 'ftp://example.com' }, 'baseUrl'],
    [
      'baseUrl with credentials',
      { baseUrl: 'https://user:pw@example.com/v1' },
      'baseUrl must not contain credentials',
    ],
    ['baseUrl with a query', { baseUrl: 'https://example.com/v1?x=1' }, 'baseUrl must not contain a query'],
    ['baseUrl at a cloud metadata address', { baseUrl: 'http://169.254.169.254/latest' }, 'metadata'],
    ['baseUrl missing for azure', { providerType: 'azure' }, 'baseUrl is required for providerType azure'],
    [
      'baseUrl missing for openai-compatible',
      { providerType: 'openai-compatible' },
      'baseUrl is required for providerType openai-compatible',
    ],
    ['apiKeys missing', { apiKeys: undefined }, 'apiKeys'],
    ['apiKeys not strings', { apiKeys: [42] }, 'apiKeys'],
    ['apiKeys with an empty key', { apiKeys: [''] }, 'apiKeys'],
    ['apiKeys repeated', { apiKeys: ['sk-repeat-1234567', 'sk-repeat-1234567'] }, 'apiKeys must not repeat'],
    ['models missing', { models: undefined }, 'models'],
    ['models empty', { models: [] }, 'models must list at least one'],
    ['modelMap with a non-string target', { modelMap: { fast: 1 } }, 'modelMap'],
    ['balancePolicy unknown', { balancePolicy: 'fastest' }, 'balancePolicy must be one of'],
    ['retryCount above 10', { retryCount: 11 }, 'retryCount'],
    ['retryCount negative', { retryCount: -1 }, 'retryCount'],
    ['timeout 0', { timeout: 0 }, 'timeout'],
    ['timeout above 600', { timeout: 601 }, 'timeout'],
    ['priority negative', { priority: -1 }, 'priority'],
    ['priority not an integer', { priority: 1.5 }, 'priority'],
    ['weight negative', { weight: -1 }, 'weight'],
    ['enabled not a boolean', { enabled: 'yes' }, 'enabled'],
    ['parameters not an object', { parameters: 'hot' }, 'parameters'],
    ['parameters setting the model', { parameters: { model: 'gpt-4' } }, 'parameters may not set "model"'],
    ['headers with a non-string value', { headers: { 'X-Team': 1 } }, 'headers'],
    ['headers with an invalid name', { headers: { 'Bad Name': 'x' } }, 'headers has an invalid header name'],
    ['headers overriding Host', { headers: { Host: 'evil.example' } }, 'headers may not set "Host"'],
    ['probe kind unknown', { probe: { kind: 'ping' } }, 'probe.kind must be one of'],
    ['probe with an unknown field', { probe: { kind: 'models', path: '/x' } }, 'path should not exist'],
    [
      'chat probe without a model on a glob group',
      { models: ['gpt-*'], probe: { kind: 'chat' } },
      'probe.model is required',
    ],
    ['apiVersion malformed', { apiVersion: 'v1' }, 'apiVersion'],
    ['an unknown field', { region: 'eu' }, 'property region should not exist'],
  ])('rejects %s with 400', async (_label, override, message) => {
    const res = await call(
      'post',
      '/admin/groups',
      { ...VALID, groupName: 'invalid-group', ...override },
      400,
    );
    expect(res.body).toEqual({
      statusCode: 400,
      message: expect.stringContaining(message),
      requestId: expect.any(String),
    });
    await call('get', '/admin/groups').then((list) =>
      expect(list.body.map((g: { groupName: string }) => g.groupName)).not.toContain('invalid-group'),
    );
  });

  it.each([
    [
      'apiKeys (keys change through /keys)',
      { apiKeys: ['sk-patch-key-123456'] },
      'property apiKeys should not exist',
    ],
    ['a null groupName', { groupName: null }, 'groupName'],
    ['emptied models', { models: [] }, 'models'],
    [
      'a provider type change that leaves azure without a baseUrl',
      { providerType: 'azure' },
      'baseUrl is required',
    ],
  ])('rejects a PATCH with %s', async (_label, body, message) => {
    const group = await createGroup({
      ...VALID,
      groupName: `patch-400-${Math.random().toString(36).slice(2, 8)}`,
    });
    const res = await call('patch', `/admin/groups/${group.id}`, body, 400);
    expect(res.body.message).toContain(message);
  });

  it('rejects a non-numeric id with 400', async () => {
    await call('get', '/admin/groups/abc', undefined, 400);
  });

  describe('keys', () => {
    let group: { id: number; keys: Array<{ id: number; masked: string }> };
    beforeAll(async () => {
      group = await createGroup({ ...VALID, groupName: 'keyed', models: ['keyed-model'] });
    });

    it('adds one key or several, masked in the answer, and routes to them at once', async () => {
      const one = await call(
        'post',
        `/admin/groups/${group.id}/keys`,
        { apiKey: 'sk-added-key-one-9999' },
        201,
      );
      expect(one.body.keys.map((key: { masked: string }) => key.masked)).toEqual(['sk-…6789', 'sk-…9999']);
      const many = await call(
        'post',
        `/admin/groups/${group.id}/keys`,
        { apiKeys: ['AIzaAddedKeyTwo-7777', 'sk-added-key-three-8888'], weight: 3 },
        201,
      );
      expect(many.body.keys.slice(2)).toEqual([
        expect.objectContaining({ masked: '…7777', weight: 3, enabled: true, usable: true }),
        expect.objectContaining({ masked: 'sk-…8888', weight: 3 }),
      ]);
      expect(
        snapshot()
          .groupsByName.get('keyed')
          ?.keys.map((key) => key.secret),
      ).toEqual([
        'sk-valid-key-0123456789',
        'sk-added-key-one-9999',
        'AIzaAddedKeyTwo-7777',
        'sk-added-key-three-8888',
      ]);
      group = many.body;
    });

    it('refuses a key the group already holds (409) and malformed bodies (400)', async () => {
      await call('post', `/admin/groups/${group.id}/keys`, { apiKey: 'sk-added-key-one-9999' }, 409);
      await call('post', `/admin/groups/${group.id}/keys`, {}, 400);
      await call(
        'post',
        `/admin/groups/${group.id}/keys`,
        { apiKey: 'sk-a-key-0001', apiKeys: ['sk-a-key-0002'] },
        400,
      );
      await call('post', `/admin/groups/${group.id}/keys`, { apiKey: 'has space' }, 400);
      await call('post', `/admin/groups/${group.id}/keys`, { apiKey: 'sk-a-key-0003', extra: true }, 400);
    });

    it('disables, re-weights and removes one key', async () => {
      const keyId = group.keys[1].id;
      const disabled = await call('patch', `/admin/groups/${group.id}/keys/${keyId}`, { enabled: false });
      expect(disabled.body.keys.find((key: { id: number }) => key.id === keyId)).toMatchObject({
        enabled: false,
        usable: true,
      });
      expect(
        snapshot()
          .groupsByName.get('keyed')
          ?.keys.map((key) => key.id),
      ).not.toContain(keyId);
      const weighted = await call('patch', `/admin/groups/${group.id}/keys/${keyId}`, {
        weight: 2.5,
        enabled: true,
      });
      expect(weighted.body.keys.find((key: { id: number }) => key.id === keyId)).toMatchObject({
        enabled: true,
        weight: 2.5,
      });
      await call('patch', `/admin/groups/${group.id}/keys/${keyId}`, { weight: -1 }, 400);
      await call('patch', `/admin/groups/${group.id}/keys/${keyId}`, { enabled: null }, 400);
      const removed = await call('delete', `/admin/groups/${group.id}/keys/${keyId}`);
      expect(removed.body.keys.map((key: { id: number }) => key.id)).not.toContain(keyId);
      await call('delete', `/admin/groups/${group.id}/keys/${keyId}`, undefined, 404);
    });

    it("answers 404 for another group's key", async () => {
      const other = await createGroup({
        ...VALID,
        groupName: 'keyed-other',
        apiKeys: ['sk-other-group-key-5555'],
      });
      await call('patch', `/admin/groups/${group.id}/keys/${other.keys[0].id}`, { enabled: false }, 404);
      await call('delete', `/admin/groups/${group.id}/keys/${other.keys[0].id}`, undefined, 404);
    });

    it('marks a key that no longer decrypts unusable, leaves it out of routing, warns, and keeps serving', async () => {
      const target = await createGroup({
        ...VALID,
        groupName: 'tampered',
        apiKeys: ['sk-tamper-key-aaaa', 'sk-tamper-key-bbbb'],
      });
      const broken = target.keys[0].id;
      await sut.app
        .get(DataSource)
        .query(`UPDATE provider_keys SET ciphertext = 'AAAAAAAAAAAAAAAAAAAA' WHERE id = ${broken}`);
      await sut.app.get(RoutingTable).rebuild();
      expect(
        snapshot()
          .groupsByName.get('tampered')
          ?.keys.map((key) => key.id),
      ).toEqual([target.keys[1].id]);
      const res = await call('get', `/admin/groups/${target.id}`);
      expect(res.body.keys.map((key: { usable: boolean }) => key.usable)).toEqual([false, true]);
      expect(sut.logs.text).toContain(`Upstream key #${broken} of group #${target.id} cannot be decrypted`);
      await call('get', '/admin/groups');
    });
  });

  it('never returns a full upstream key in any answer', () => {
    expect(responses.length).toBeGreaterThan(50);
    expect(secretsSent.size).toBeGreaterThan(10);
    const leaks = [...secretsSent].filter((secret) => responses.some((text) => text.includes(secret)));
    expect(leaks).toEqual([]);
  });
});
