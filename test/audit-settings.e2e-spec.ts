import { AdminError } from '../src/common/admin-error.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SETTINGS_CHANGED, SettingsChangedEvent } from '../src/settings/settings.events.js';
import { SettingsService } from '../src/settings/settings.service.js';
import { describeEachEngine } from './support/engines.js';
import { startTestApp, TestApp } from './support/test-app.js';

interface Alerts {
  enabled: boolean;
  webhookUrl: string | null;
  retries: number;
}

const ALERTS_SECTION = {
  defaults: { enabled: false, webhookUrl: null, retries: 3 } as Alerts,
  secretFields: ['webhookUrl'],
  validate(value: unknown): Alerts {
    const { enabled, webhookUrl, retries, ...rest } = value as Alerts;
    if (Object.keys(rest).length > 0)
      throw new AdminError('invalid', `testAlerts has unknown fields: ${Object.keys(rest).join(', ')}`);
    if (typeof enabled !== 'boolean') throw new AdminError('invalid', 'testAlerts.enabled must be a boolean');
    if (!Number.isInteger(retries) || retries < 0 || retries > 10)
      throw new AdminError('invalid', 'testAlerts.retries must be an integer from 0 to 10');
    return { enabled, webhookUrl: webhookUrl ?? null, retries };
  },
};

const WEBHOOK = 'https://hooks.example.test/services/T000/B000/webhook-secret-path';
const UPSTREAM_KEY = 'sk-audited-upstream-key-4242';

describeEachEngine('audit log and settings', (engine) => {
  let sut: TestApp;
  let token: string;

  async function call(
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    body?: object | unknown[],
    status = 200,
  ) {
    const req = sut.http()[method](path).set('Authorization', `Bearer ${token}`);
    const res = await (body === undefined ? req : req.send(body as object));
    if (res.status !== status)
      throw new Error(
        `${method.toUpperCase()} ${path} answered ${res.status}, expected ${status}: ${res.text}`,
      );
    return res;
  }

  beforeAll(async () => {
    sut = await startTestApp({ engine });
    token = await sut.login();
    sut.app.get(SettingsService).registerSection('testAlerts', ALERTS_SECTION);
  });
  afterAll(() => sut.close());

  describe('audit log', () => {
    let proxyKey: string;
    let rotatedKey: string;

    beforeAll(async () => {
      const group = (
        await call(
          'post',
          '/admin/groups',
          {
            groupName: 'audited',
            providerType: 'openai',
            apiKeys: [UPSTREAM_KEY],
            models: ['gpt-4o'],
            headers: { Authorization: 'Bearer hdr-token-abc' },
          },
          201,
        )
      ).body;
      await call('patch', `/admin/groups/${group.id}`, { enabled: false });
      await call('patch', `/admin/groups/${group.id}`, { retryCount: 5 });
      await call('post', `/admin/groups/${group.id}/keys`, { apiKey: 'sk-audited-second-key-777' }, 201);
      await call('patch', `/admin/groups/${group.id}/keys/${group.keys[0].id}`, { enabled: false });
      const created = (await call('post', '/admin/proxy-keys', { name: 'audited-key' }, 201)).body;
      proxyKey = created.key;
      rotatedKey = (await call('post', `/admin/proxy-keys/${created.id}/rotate`, undefined, 201)).body.key;
      await call('delete', `/admin/proxy-keys/${created.id}`, undefined, 204);
      await call('delete', `/admin/groups/${group.id}`, undefined, 204);
    });

    it('records every change with time, actor, action, entity and id, newest first', async () => {
      const res = await call('get', '/admin/audit-logs?pageSize=200');
      const rows = res.body.items as Array<{
        id: number;
        at: string;
        actor: string;
        action: string;
        entity: string;
        entityId: string;
      }>;
      expect(res.body).toMatchObject({ total: rows.length, page: 1, pageSize: 200 });
      expect(rows.map((row) => row.id)).toEqual([...rows.map((row) => row.id)].sort((a, b) => b - a));
      expect(
        rows.every((row) => row.actor === 'admin' && !Number.isNaN(Date.parse(row.at)) && row.entityId),
      ).toBe(true);
      expect(rows.map((row) => `${row.entity}:${row.action}`).reverse()).toEqual([
        'group:create',
        'upstream_key:create',
        'group:disable',
        'group:update',
        'upstream_key:create',
        'upstream_key:disable',
        'proxy_key:create',
        'proxy_key:rotate',
        'proxy_key:delete',
        'group:delete',
      ]);
    });

    it('records the changed fields as from/to pairs', async () => {
      const res = await call('get', '/admin/audit-logs?entity=group');
      const update = res.body.items.find((row: { action: string }) => row.action === 'update');
      expect(update.changes).toEqual({ retryCount: { from: 3, to: 5 } });
      const disable = res.body.items.find((row: { action: string }) => row.action === 'disable');
      expect(disable.changes).toEqual({ enabled: { from: true, to: false } });
    });

    it('keeps secrets out of every row', async () => {
      const res = await call('get', '/admin/audit-logs?pageSize=200');
      for (const secret of [UPSTREAM_KEY, 'sk-audited-second-key-777', 'hdr-token-abc', proxyKey, rotatedKey])
        expect(res.text).not.toContain(secret);
      const created = res.body.items.find(
        (row: { entity: string; action: string }) => row.entity === 'group' && row.action === 'create',
      );
      expect(created.changes).toMatchObject({
        groupName: 'audited',
        apiKeys: '[redacted]',
        headers: { Authorization: '[redacted]' },
      });
      const rotated = res.body.items.find((row: { action: string }) => row.action === 'rotate');
      expect(rotated.changes).toEqual({
        keyPrefix: { from: proxyKey.slice(0, 10), to: rotatedKey.slice(0, 10) },
        key: '[redacted]',
      });
    });

    it('filters by entity and pages', async () => {
      const all = await call('get', '/admin/audit-logs?entity=proxy_key');
      expect(all.body.items.map((row: { action: string }) => row.action)).toEqual([
        'delete',
        'rotate',
        'create',
      ]);
      const page = await call('get', '/admin/audit-logs?entity=proxy_key&page=2&pageSize=1');
      expect(page.body).toEqual({ items: [all.body.items[1]], total: 3, page: 2, pageSize: 1 });
    });

    it.each(['page=0', 'pageSize=201', 'pageSize=x', "entity=group'--", 'unknown=1'])(
      'rejects the query %s with 400',
      async (query) => {
        await call('get', `/admin/audit-logs?${query}`, undefined, 400);
      },
    );

    it('writes no row for a change that fails', async () => {
      const before = (await call('get', '/admin/audit-logs')).body.total;
      await call(
        'post',
        '/admin/groups',
        { groupName: 'dup', providerType: 'openai', apiKeys: ['sk-dup-key-0001'], models: ['m'] },
        201,
      );
      await call(
        'post',
        '/admin/groups',
        { groupName: 'dup', providerType: 'openai', apiKeys: ['sk-dup-key-0001'], models: ['m'] },
        409,
      );
      await call('patch', '/admin/proxy-keys/999999', { rpm: 1 }, 404);
      // The one change that succeeded: the group and its key.
      expect((await call('get', '/admin/audit-logs')).body.total).toBe(before + 2);
    });
  });

  it('documents every admin route of groups, keys, proxy keys, audit and settings in the OpenAPI document', async () => {
    const paths = Object.keys((await call('get', '/swagger-json')).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/admin/groups',
        '/admin/groups/{id}',
        '/admin/groups/{id}/keys',
        '/admin/groups/{id}/keys/{keyId}',
        '/admin/proxy-keys',
        '/admin/proxy-keys/{id}',
        '/admin/proxy-keys/{id}/rotate',
        '/admin/audit-logs',
        '/admin/settings',
      ]),
    );
  });

  describe('settings', () => {
    it('shows a registered section with its defaults', async () => {
      const res = await call('get', '/admin/settings');
      expect(res.body.testAlerts).toEqual({ enabled: false, webhookUrl: null, retries: 3 });
    });

    it('merges an update over the current value, stores it, audits it without secrets and emits settings.changed', async () => {
      const events: SettingsChangedEvent[] = [];
      const listener = (event: SettingsChangedEvent) => events.push(event);
      sut.app.get(EventEmitter2).on(SETTINGS_CHANGED, listener);
      const res = await call('put', '/admin/settings', {
        testAlerts: { enabled: true, webhookUrl: WEBHOOK },
      });
      sut.app.get(EventEmitter2).off(SETTINGS_CHANGED, listener);
      expect(res.body.testAlerts).toEqual({ enabled: true, webhookUrl: WEBHOOK, retries: 3 });
      expect((await call('get', '/admin/settings')).body.testAlerts).toEqual(res.body.testAlerts);
      expect(sut.app.get(SettingsService).get<Alerts>('testAlerts').enabled).toBe(true);
      expect(events).toEqual([{ sections: ['testAlerts'] }]);
      const audit = await call('get', '/admin/audit-logs?entity=setting');
      expect(audit.body.items[0]).toMatchObject({
        action: 'update',
        entityId: 'testAlerts',
        changes: { enabled: { from: false, to: true }, webhookUrl: '[redacted]' },
      });
      expect(audit.text).not.toContain('webhook-secret-path');
    });

    it.each([
      ['an unknown section', { noSuchSection: { a: 1 } }, 'Unknown settings section "noSuchSection"'],
      [
        'a value the section refuses',
        { testAlerts: { retries: 11 } },
        'testAlerts.retries must be an integer from 0 to 10',
      ],
      [
        'an unknown field in a section',
        { testAlerts: { colour: 'red' } },
        'testAlerts has unknown fields: colour',
      ],
      ['a body that is not an object', [1, 2], 'must be an object'],
    ])('rejects %s with 400 and changes nothing', async (_label, body, message) => {
      const before = (await call('get', '/admin/settings')).body;
      const res = await call('put', '/admin/settings', body, 400);
      expect(res.body.message).toContain(message);
      expect((await call('get', '/admin/settings')).body).toEqual(before);
    });

    it('applies the stored value after a restart, whenever the section registers', async () => {
      await sut.close({ keepData: true });
      sut = await startTestApp({ engine, reuse: { dataDir: sut.dataDir, database: sut.database } });
      token = await sut.login();
      expect((await call('get', '/admin/settings')).body.testAlerts).toBeUndefined();
      sut.app.get(SettingsService).registerSection('testAlerts', ALERTS_SECTION);
      expect((await call('get', '/admin/settings')).body.testAlerts).toEqual({
        enabled: true,
        webhookUrl: WEBHOOK,
        retries: 3,
      });
    });
  });
});
