import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { RoutingTable } from '../src/routing/routing-table.js';
import { describeEachEngine } from './support/engines.js';
import { startTestApp, TestApp } from './support/test-app.js';

const OTHER_ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');

describeEachEngine('upstream keys at rest', (engine) => {
  let sut: TestApp;
  let token: string;
  const canary = `sk-CANARY-${randomBytes(12).toString('hex')}`;
  const canaryTwo = `sk-CANARY-${randomBytes(12).toString('hex')}`;
  const responses: string[] = [];

  async function call(
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    body?: object,
    status = 200,
  ) {
    const req = sut.http()[method](path).set('Authorization', `Bearer ${token}`);
    const res = await (body === undefined ? req : req.send(body));
    responses.push(res.text);
    if (res.status !== status)
      throw new Error(
        `${method.toUpperCase()} ${path} answered ${res.status}, expected ${status}: ${res.text}`,
      );
    return res;
  }

  beforeAll(async () => {
    sut = await startTestApp({ engine });
    token = await sut.login();
  });
  afterAll(() => sut.close());

  it('keeps a canary upstream key out of every answer, the log output and the database', async () => {
    const body = {
      groupName: 'canary',
      providerType: 'openai',
      apiKeys: [canary],
      models: ['gpt-4o'],
      headers: { 'X-Api-Key': canaryTwo },
    };
    const group = (await call('post', '/admin/groups', body, 201)).body;
    await call('put', `/admin/groups/${group.id}`, { ...body, apiKeys: [canary], retryCount: 1 });
    await call('patch', `/admin/groups/${group.id}`, { retryCount: 2 });
    await call('post', `/admin/groups/${group.id}/keys`, { apiKey: canaryTwo }, 201);
    await call('post', `/admin/groups/${group.id}/keys`, { apiKey: canary }, 409);
    await call('post', '/admin/groups', { ...body, groupName: 'canary-bad', apiKeys: [canary, canary] }, 400);
    await call('post', '/admin/groups', { ...body, groupName: 'canary bad' }, 400);
    await call('get', '/admin/groups');
    await call('get', `/admin/groups/${group.id}`);
    await call('get', '/admin/audit-logs?pageSize=200');
    await call('get', '/admin/settings');
    expect(
      sut.app
        .get(RoutingTable)
        .current()
        .groupsByName.get('canary')
        ?.keys.map((key) => key.secret),
    ).toEqual([canary, canaryTwo]);

    expect(responses.filter((text) => text.includes('CANARY'))).toEqual([]);
    expect(sut.logs.lines.length).toBeGreaterThan(10);
    expect(sut.logs.text).not.toContain('CANARY');
    const dataSource = sut.app.get(DataSource);
    const keyRows = await dataSource.query('SELECT * FROM provider_keys');
    expect(keyRows.length).toBe(2);
    for (const table of ['provider_keys', 'provider_groups', 'audit_logs', 'settings']) {
      expect(JSON.stringify(await dataSource.query(`SELECT * FROM ${table}`))).not.toContain('CANARY');
    }

    await sut.close({ keepData: true });
    if (engine === 'sqlite') {
      const files = readdirSync(sut.dataDir).filter((name) => name.startsWith('switchyard.db'));
      expect(files).toContain('switchyard.db');
      for (const name of files) expect(readFileSync(join(sut.dataDir, name)).includes('CANARY')).toBe(false);
      // The check above must be able to see plain text: the group name is stored in clear.
      expect(readFileSync(join(sut.dataDir, 'switchyard.db')).includes('canary')).toBe(true);
    }
    sut = await startTestApp({ engine, reuse: { dataDir: sut.dataDir, database: sut.database } });
    token = await sut.login();
  });

  it('decrypts the stored keys after a restart with the same ENCRYPTION_KEY', async () => {
    const group = sut.app.get(RoutingTable).current().groupsByName.get('canary');
    expect(group?.keys.map((key) => key.secret)).toEqual([canary, canaryTwo]);
    const res = await call('get', `/admin/groups/${group?.id}`);
    expect(res.body.keys.map((key: { usable: boolean }) => key.usable)).toEqual([true, true]);
  });

  it('refuses to start with a different ENCRYPTION_KEY, naming it', async () => {
    await sut.close({ keepData: true });
    const reuse = { dataDir: sut.dataDir, database: sut.database };
    await expect(
      startTestApp({ engine, reuse, env: { ENCRYPTION_KEY: OTHER_ENCRYPTION_KEY } }),
    ).rejects.toThrow(/ENCRYPTION_KEY does not match/);
    sut = await startTestApp({ engine, reuse });
    token = await sut.login();
    expect(sut.app.get(RoutingTable).current().groupsByName.get('canary')?.keys).toHaveLength(2);
    expect(existsSync(sut.dataDir)).toBe(true);
  });
});
