import { describeEachEngine } from '../support/engines.js';
import { startTestApp, TestApp } from '../support/test-app.js';

const KEY_COUNT = 150;
const keys = (prefix: string) =>
  Array.from({ length: KEY_COUNT }, (_, i) => `sk-${prefix}-${String(i).padStart(4, '0')}-abcdefgh`);

interface GroupView {
  id: number;
  groupName: string;
  keys: unknown[];
}

describeEachEngine('group saves seen by concurrent readers', (engine) => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    app = await startTestApp({ engine });
    token = await app.login();
  });
  afterAll(() => app.close());

  /** Reads GET /admin/groups in a loop while `write` runs; returns what every read saw of the group. */
  async function watch(groupName: string, write: () => Promise<unknown>): Promise<number[]> {
    const seen: number[] = [];
    let done = false;
    const reader = (async () => {
      while (!done) {
        const res = await app.http().get('/admin/groups').set('Authorization', `Bearer ${token}`).expect(200);
        const group = (res.body as GroupView[]).find((g) => g.groupName === groupName);
        if (group) seen.push(group.keys.length);
      }
    })();
    try {
      await write();
    } finally {
      done = true;
      await reader;
    }
    return seen;
  }

  it('never shows a group being created with only part of its keys', async () => {
    const seen = await watch('atomic-create', () =>
      app
        .http()
        .post('/admin/groups')
        .set('Authorization', `Bearer ${token}`)
        .send({ groupName: 'atomic-create', providerType: 'openai', models: ['gpt-4o'], apiKeys: keys('c') })
        .expect(201),
    );
    expect(seen.filter((count) => count !== KEY_COUNT)).toEqual([]);
  }, 120_000);

  it('never shows a group being replaced with a mix of its old and new keys', async () => {
    const created = await app
      .http()
      .post('/admin/groups')
      .set('Authorization', `Bearer ${token}`)
      .send({ groupName: 'atomic-replace', providerType: 'openai', models: ['gpt-4o'], apiKeys: keys('old') })
      .expect(201);
    const id = (created.body as GroupView).id;
    const replace = app
      .http()
      .put(`/admin/groups/${id}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ groupName: 'atomic-replace', providerType: 'openai', models: ['gpt-4o'], apiKeys: keys('new') })
      .expect(200);
    // The old keys are deleted, then the new ones inserted: a half-done replace shows fewer.
    const seen = await watch('atomic-replace', () => replace);
    expect(seen.filter((count) => count !== KEY_COUNT)).toEqual([]);
  }, 120_000);
});
