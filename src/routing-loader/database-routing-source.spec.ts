import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import type { ProxyKey } from '../proxy-keys/proxy-key.entity.js';
import type { ProviderGroup } from '../providers/provider-group.entity.js';
import { RoutingTable } from '../routing/routing-table.js';
import { DatabaseRoutingSource } from './database-routing-source.js';
import { UpstreamKeyCipher } from '../providers/upstream-key-cipher.js';
import type { UpstreamKey } from '../providers/upstream-key.entity.js';

// An in-memory stand-in for the three tables the table reads.
class Tables {
  groups: ProviderGroup[] = [];
  keys: UpstreamKey[] = [];
  proxyKeys: ProxyKey[] = [];
  reads = 0;
  gate?: Promise<void>;
  /** Every read rejects with it while set. */
  failure?: Error;

  repo<T extends { enabled?: boolean }>(rows: () => T[]): Repository<T> {
    const read = async (where?: { enabled?: boolean }) => {
      this.reads += 1;
      if (this.failure) throw this.failure;
      const snapshot = rows().filter((row) => where?.enabled === undefined || row.enabled === where.enabled);
      await this.gate;
      return snapshot;
    };
    return { findBy: read, find: () => read() } as unknown as Repository<T>;
  }
}

describe(RoutingTable.name, () => {
  const config = Object.assign(new AppConfig(), { encryptionKey: randomBytes(32) });
  const cipher = new UpstreamKeyCipher(config);
  let tables: Tables;
  let sut: RoutingTable;

  const groupRow = (id: number, overrides: Partial<ProviderGroup> = {}) =>
    ({
      id,
      groupName: `g${id}`,
      providerType: 'openai',
      baseUrl: null,
      models: ['gpt-4*'],
      modelMap: {},
      balancePolicy: 'round_robin',
      retryCount: 3,
      timeout: 60,
      priority: 1,
      weight: 1,
      enabled: true,
      parameters: {},
      sealedHeaders: null,
      probe: { kind: 'models' },
      apiVersion: null,
      ...overrides,
    }) as ProviderGroup;
  const keyRow = (id: number, groupId: number, secret: string, enabled = true) =>
    ({ id, groupId, enabled, weight: 1, ...cipher.seal(secret) }) as UpstreamKey;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    tables = new Tables();
    sut = new RoutingTable(
      new DatabaseRoutingSource(
        tables.repo(() => tables.groups),
        tables.repo(() => tables.keys),
        tables.repo(() => tables.proxyKeys),
        cipher,
      ),
    );
  });

  it('starts empty and not loaded, then serves what the database holds', async () => {
    expect(sut.loaded).toBe(false);
    expect(sut.current().groups).toEqual([]);
    tables.groups = [groupRow(1)];
    tables.keys = [keyRow(1, 1, 'sk-upstream-secret-1')];
    await sut.onApplicationBootstrap();
    expect(sut.loaded).toBe(true);
    const snapshot = sut.current();
    expect(snapshot.groupsForModel('gpt-4o').map((group) => group.name)).toEqual(['g1']);
    expect(snapshot.groups[0]).toMatchObject({
      baseUrl: 'https://api.openai.com/v1',
      timeoutSeconds: 60,
      keys: [{ id: 1, secret: 'sk-upstream-secret-1', masked: 'sk-…et-1' }],
    });
  });

  it('picks up changes on rebuild with a new version, and leaves disabled keys and groups out', async () => {
    tables.groups = [groupRow(1)];
    tables.keys = [keyRow(1, 1, 'sk-upstream-secret-1')];
    await sut.rebuild();
    const first = sut.current();
    tables.groups = [groupRow(1), groupRow(2, { enabled: false })];
    tables.keys = [
      keyRow(1, 1, 'sk-upstream-secret-1', false),
      keyRow(2, 1, 'sk-upstream-secret-2'),
      keyRow(3, 2, 'sk-upstream-secret-3'),
    ];
    await sut.onConfigChanged();
    const second = sut.current();
    expect(second.version).toBe(first.version + 1);
    expect(second.groups.map((group) => group.keys.map((key) => key.id))).toEqual([[2]]);
    expect(second.groups[0].headers).toEqual({});
    expect(first.groups[0].keys.map((key) => key.id)).toEqual([1]);
  });

  it('leaves out a key that does not decrypt and keeps the rest', async () => {
    const broken = {
      ...keyRow(2, 1, 'sk-upstream-secret-2'),
      ciphertext: Buffer.from('garbage').toString('base64'),
    };
    tables.groups = [groupRow(1)];
    tables.keys = [keyRow(1, 1, 'sk-upstream-secret-1'), broken];
    await sut.rebuild();
    expect(sut.current().groups[0].keys.map((key) => key.id)).toEqual([1]);
  });

  it('opens sealed group headers, and routes without them when they do not decrypt', async () => {
    tables.groups = [
      groupRow(1, { sealedHeaders: cipher.sealHeaders({ 'X-Api-Key': 'hdr-secret' }) }),
      groupRow(2, { sealedHeaders: '{"ciphertext":"AA==","iv":"AA==","authTag":"AA=="}' }),
    ];
    tables.keys = [keyRow(1, 1, 'sk-upstream-secret-1'), keyRow(2, 2, 'sk-upstream-secret-2')];
    await sut.rebuild();
    expect(sut.current().groups.map((group) => group.headers)).toEqual([{ 'X-Api-Key': 'hdr-secret' }, {}]);
  });

  it('coalesces rebuilds requested while one runs, and the last state wins', async () => {
    let release!: () => void;
    tables.gate = new Promise((resolve) => (release = resolve));
    tables.groups = [groupRow(1)];
    tables.keys = [keyRow(1, 1, 'sk-upstream-secret-1')];
    const running = sut.rebuild();
    await new Promise((resolve) => setImmediate(resolve));
    tables.groups = [groupRow(1, { groupName: 'renamed' })];
    const followUps = [sut.rebuild(), sut.rebuild(), sut.rebuild()];
    release();
    await expect(Promise.all([running, ...followUps])).resolves.toBeDefined();
    expect(tables.reads).toBe(6);
    expect([...sut.current().groupsByName.keys()]).toEqual(['renamed']);
  });

  it('keeps serving the previous snapshot when a rebuild fails', async () => {
    tables.groups = [groupRow(1)];
    tables.keys = [keyRow(1, 1, 'sk-upstream-secret-1')];
    await sut.rebuild();
    const before = sut.current();
    tables.failure = new Error('database gone');
    await expect(sut.onConfigChanged()).resolves.toBeUndefined();
    expect(sut.current()).toBe(before);
  });
});
