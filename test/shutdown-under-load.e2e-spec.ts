import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { MockUpstream } from './support/mock-upstream.js';
import { spawnGateway } from './support/spawn-gateway.js';
import { waitFor } from './support/wait-for.js';

const ADMIN = { username: 'admin', password: 'proc-test-password' };

function countRows(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError) => {
      if (openError) return reject(openError);
      db.get('SELECT COUNT(*) AS n FROM request_logs', (error, row: { n: number }) => {
        db.close();
        if (error) reject(error);
        else resolve(row.n);
      });
    });
  });
}

describe('SIGTERM under load', () => {
  it('loses no usage record of a request that completed', async () => {
    const mock = await MockUpstream.start({ record: false });
    mock.setDefault('*', { kind: 'ok', delayMs: 5 });
    const sut = spawnGateway({ SHUTDOWN_GRACE_SECONDS: '5' });
    try {
      const origin = `http://127.0.0.1:${await sut.listening()}`;
      const post = async (path: string, body: unknown, token?: string) => {
        const res = await fetch(`${origin}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        });
        return (await res.json()) as Record<string, string>;
      };
      const { access_token: token } = await post('/admin/auth/login', ADMIN);
      await post(
        '/admin/groups',
        {
          groupName: 'load',
          providerType: 'openai',
          baseUrl: mock.baseUrl,
          apiKeys: ['sk-upstream-load'],
          models: ['gpt-4o'],
        },
        token,
      );
      const { key } = await post('/admin/proxy-keys', { name: 'load' }, token);

      let completed = 0;
      let stop = false;
      const worker = async () => {
        while (!stop) {
          try {
            const res = await fetch(`${origin}/v1/chat/completions`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
              body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
            });
            await res.text();
            if (res.status === 200) completed += 1;
          } catch {
            stop = true; // the gateway stopped accepting connections
          }
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      await waitFor(() => completed > 20, 15_000, 'the load to be under way');
      sut.child.kill('SIGTERM');
      const deadline = setTimeout(() => (stop = true), 10_000);
      await Promise.all(workers);
      clearTimeout(deadline);
      await expect(sut.exited()).resolves.toBe(0);

      expect(completed).toBeGreaterThan(20);
      await expect(countRows(join(sut.dataDir, 'sy.db'))).resolves.toBe(completed);
    } finally {
      sut.cleanup();
      await mock.stop();
    }
  });
});
