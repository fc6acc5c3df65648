import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { startTestApp, TestApp } from '../support/test-app.js';

// Keys that would break (or smuggle into) the Authorization header of every upstream request.
const BAD_KEYS: Array<[string, string]> = [
  ['a CRLF header injection', 'sk-abc123\r\nX-Injected: 1'],
  ['a bare line feed', 'sk-abc123\nX-Injected: 1'],
  ['a NUL byte', 'sk-abc123\u0000tail'],
  ['another control character (ESC)', 'sk-abc123\u001btail'],
  ['DEL', 'sk-abc123\u007ftail'],
  ['a non-ASCII character', 'sk-abc123é-tail'],
  ['a zero-width space', 'sk-abc123\u200btail'],
  ['an inner space', 'sk-abc 123'],
  ['a tab', 'sk-abc\t123'],
];

describeEachEngine('upstream keys that are not header-safe', (engine) => {
  let app: TestApp;
  let fixture: GatewayFixture;
  let groupId: number;

  beforeAll(async () => {
    app = await startTestApp({ engine });
    fixture = await GatewayFixture.for(app);
    groupId = (
      await fixture.createGroup({
        groupName: 'header-safe',
        baseUrl: 'https://api.example.test/v1',
        apiKeys: ['sk-good-key-0123456789'],
        models: ['gpt-4o'],
      })
    ).id;
  });
  afterAll(() => app.close());

  const body = (apiKeys: string[], groupName = `g-${Math.random().toString(36).slice(2, 8)}`) => ({
    groupName,
    providerType: 'openai',
    baseUrl: 'https://api.example.test/v1',
    models: ['gpt-4o'],
    apiKeys,
  });

  it.each(BAD_KEYS)(
    'refuses a key with %s at create, replace and add-key with a 400 naming the field, never echoing the key',
    async (_attack, key) => {
      const secretPart = 'X-Injected';
      const answers = [
        [
          await fixture
            .admin()
            .post('/admin/groups')
            .send(body(['sk-fine-0123456789', key])),
          'apiKeys',
        ],
        [
          await fixture
            .admin()
            .put(`/admin/groups/${groupId}`)
            .send(body([key], 'header-safe')),
          'apiKeys',
        ],
        [await fixture.admin().post(`/admin/groups/${groupId}/keys`).send({ apiKey: key }), 'apiKey'],
        [
          await fixture
            .admin()
            .post(`/admin/groups/${groupId}/keys`)
            .send({ apiKeys: [key] }),
          'apiKeys',
        ],
      ] as const;
      for (const [res, field] of answers) {
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body.message)).toContain(field);
        expect(JSON.stringify(res.body.message)).toContain('printable ASCII');
        expect(res.text).not.toContain(key);
        expect(res.text).not.toContain(secretPart);
      }
      const group = await fixture.admin().get(`/admin/groups/${groupId}`).expect(200);
      expect(group.body.keys).toHaveLength(1); // nothing was saved
    },
  );

  it('refuses a group header value with a control character at patch (it would be sent on every request)', async () => {
    const res = await fixture
      .admin()
      .patch(`/admin/groups/${groupId}`)
      .send({ headers: { 'x-org': 'org-1\u0007' } });
    expect(res.status).toBe(400);
    expect(String(res.body.message)).toContain(
      'headers value of "x-org" must be at most 8192 printable ASCII',
    );
  });

  it('still accepts every printable ASCII key shape providers issue', async () => {
    const key = 'sk-ant-api03_AZaz09-._~+/=!#$%&*?';
    await fixture.admin().post(`/admin/groups/${groupId}/keys`).send({ apiKey: key }).expect(201);
  });
});
