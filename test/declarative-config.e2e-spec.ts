import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ConfigError } from '../src/config/config-error.js';
import { parseConfig } from '../src/config/parse-config.js';
import { DeclarativeConfigService } from '../src/declarative-config/declarative-config.service.js';
import { describeEachEngine, ENGINES } from './support/engines.js';
import { MockUpstream } from './support/mock-upstream.js';
import { createTestDatabase, TestDatabase } from './support/mysql.js';
import { spawnGateway } from './support/spawn-gateway.js';
import { startTestApp, TestApp } from './support/test-app.js';

// Groups and proxy keys declared in CONFIG_FILE: applied at start through the admin services,
// idempotently, with the file winning over an administrator's change (and saying so).

const UPSTREAM_KEY = 'sk-declared-upstream-0001';
const CLIENT_KEY = 'sk-sy-declared-client-key-0123456789abcdefXYZ';
const SECRETS = { DECLARED_UPSTREAM_KEY: UPSTREAM_KEY, DECLARED_CLIENT_KEY: CLIENT_KEY };

interface AuditRow {
  actor: string;
  action: string;
  entity: string;
  changes: Record<string, unknown>;
}

function configFile(dir: string, baseUrl: string, groupFields: Record<string, unknown> = {}): string {
  const path = join(dir, 'switchyard.json');
  writeFileSync(
    path,
    JSON.stringify({
      Groups: [
        {
          GroupName: 'declared',
          ProviderType: 'openai-compatible',
          BaseUrl: baseUrl,
          ApiKeys: ['${DECLARED_UPSTREAM_KEY}'],
          Models: ['m-declared'],
          Priority: 1,
          ...groupFields,
        },
      ],
      ProxyKeys: [
        { Name: 'declared-app', Key: '${DECLARED_CLIENT_KEY}', Rpm: 100, AllowedGroups: ['declared'] },
      ],
    }),
  );
  return path;
}

describeEachEngine('declared groups and proxy keys', (engine) => {
  let mock: MockUpstream;
  let dir: string;
  let sut: TestApp;
  let token: string;

  const start = async (file: string, reuse?: TestApp) => {
    sut = await startTestApp({
      engine,
      env: { CONFIG_FILE: file, ...SECRETS },
      reuse: reuse && { dataDir: reuse.dataDir, database: reuse.database },
    });
    token = await sut.login();
  };
  const restart = async (file: string) => {
    const previous = sut;
    await previous.close({ keepData: true });
    await start(file, previous);
  };
  const admin = (method: 'get' | 'patch', path: string) =>
    sut.http()[method](path).set('Authorization', `Bearer ${token}`);
  const auditRows = async (): Promise<AuditRow[]> =>
    ((await admin('get', '/admin/audit-logs?pageSize=200').expect(200)).body as { items: AuditRow[] }).items;
  const group = async () =>
    ((await admin('get', '/admin/groups').expect(200)).body as Array<Record<string, unknown>>).find(
      (g) => g.groupName === 'declared',
    );
  const applied = () => sut.app.get(DeclarativeConfigService).lastApplied;

  beforeAll(async () => {
    mock = await MockUpstream.start();
    dir = mkdtempSync(join(tmpdir(), 'switchyard-declared-'));
    await start(configFile(dir, mock.baseUrl));
  });
  afterAll(async () => {
    await sut?.close();
    await mock.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the declared group and proxy key at the first start, and routes with them', async () => {
    expect(applied()).toEqual({
      groups: { create: 1, update: 0, none: 0 },
      proxyKeys: { create: 1, update: 0, none: 0 },
    });
    expect(await group()).toMatchObject({ priority: 1, providerType: 'openai-compatible' });
    const res = await request(sut.url)
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${CLIENT_KEY}`)
      .send({ model: 'm-declared', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    expect(res.headers['x-switchyard-backend']).toBe('declared');
    expect(mock.requests.at(-1)?.key).toBe(UPSTREAM_KEY);

    const rows = await auditRows();
    expect(
      rows.filter((row) => row.actor === 'config-file').map((row) => `${row.action} ${row.entity}`),
    ).toEqual(expect.arrayContaining(['create group', 'create upstream_key', 'create proxy_key']));
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(`${UPSTREAM_KEY}|${CLIENT_KEY}`));
    expect(sut.logs.text).not.toMatch(new RegExp(`${UPSTREAM_KEY}|${CLIENT_KEY}`));
  });

  it('changes nothing, and writes no audit row, when restarted with the same file', async () => {
    const before = (await auditRows()).length;
    await restart(configFile(dir, mock.baseUrl));
    expect(applied()).toEqual({
      groups: { create: 0, update: 0, none: 1 },
      proxyKeys: { create: 0, update: 0, none: 1 },
    });
    expect(await auditRows()).toHaveLength(before);
  });

  it('applies a changed file with one audit row by config-file', async () => {
    const before = (await auditRows()).length;
    await restart(configFile(dir, mock.baseUrl, { Priority: 2 }));
    expect(applied()?.groups).toEqual({ create: 0, update: 1, none: 0 });
    expect(await group()).toMatchObject({ priority: 2 });
    const rows = await auditRows();
    expect(rows).toHaveLength(before + 1);
    expect(rows[0]).toMatchObject({
      actor: 'config-file',
      action: 'update',
      entity: 'group',
      changes: { priority: { from: 1, to: 2 } },
    });
  });

  it('reports an administrator change made since, and the file wins with the change kept in the audit log', async () => {
    const { id } = (await group()) as { id: number };
    await admin('patch', `/admin/groups/${id}`).send({ priority: 9, enabled: false }).expect(200);
    await restart(configFile(dir, mock.baseUrl, { Priority: 2 }));
    expect(await group()).toMatchObject({ priority: 2, enabled: true });
    expect(sut.logs.text).toMatch(
      /Group \\?"declared\\?" was changed through the admin API since the configuration file last applied it; it differs in Priority, Enabled/,
    );
    const [row] = await auditRows();
    expect(row).toMatchObject({
      actor: 'config-file',
      entity: 'group',
      changes: {
        priority: { from: 9, to: 2 },
        enabled: { from: false, to: true },
        configFile: expect.stringContaining('overwrote a change made through the admin API'),
      },
    });
  });

  it('stops on a reference to an unset variable, naming it', () => {
    const file = configFile(dir, mock.baseUrl);
    expect(() => parseConfig({ CONFIG_FILE: file, DECLARED_UPSTREAM_KEY: UPSTREAM_KEY })).toThrow(
      new ConfigError([
        `CONFIG_FILE ${file}: ProxyKeys[0].Key refers to the environment variable DECLARED_CLIENT_KEY, which is not set`,
      ]),
    );
  });
});

describe('a gateway process whose configuration file references an unset variable', () => {
  it('does not start, and says which variable on one line of stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-declared-'));
    const gateway = spawnGateway({
      CONFIG_FILE: configFile(dir, 'http://127.0.0.1:9'),
      DECLARED_CLIENT_KEY: CLIENT_KEY,
    });
    try {
      expect(await gateway.exited(20_000)).toBe(1);
      expect(gateway.stderr()).toContain(
        'Groups[0].ApiKeys[0] refers to the environment variable DECLARED_UPSTREAM_KEY, which is not set',
      );
    } finally {
      gateway.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const describeMysql = ENGINES.includes('mysql') ? describe : describe.skip;

describeMysql('two replicas starting together on one empty MySQL database', () => {
  let database: TestDatabase;
  let dir: string;
  let replicas: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'switchyard-declared-'));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close({ keepData: true })));
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrate, create the first admin and apply the file once', async () => {
    const file = configFile(dir, 'http://127.0.0.1:9');
    // No ADMIN_PASSWORD: each would generate one if it did not find the other's admin.
    const env = { CONFIG_FILE: file, ADMIN_PASSWORD: undefined, ...SECRETS };
    const started = await Promise.allSettled(
      [0, 1].map(() => startTestApp({ engine: 'mysql', env, reuse: { dataDir: dir, database } })),
    );
    replicas = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(
      started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started')),
    ).toEqual(['started', 'started']);
    const dataSource = replicas[0].app.get(DataSource);
    const count = async (sql: string) =>
      Number(((await dataSource.query(sql)) as Array<{ n: unknown }>)[0].n);
    expect(await count('SELECT COUNT(*) AS n FROM admin_users')).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM provider_groups')).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM proxy_keys')).toBe(1);
    expect(
      await count("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'create' AND entity = 'group'"),
    ).toBe(1);
    const outcomes = replicas.map((replica) => replica.app.get(DeclarativeConfigService).lastApplied?.groups);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { create: 1, update: 0, none: 0 },
        { create: 0, update: 0, none: 1 },
      ]),
    );
  }, 90_000);
});
