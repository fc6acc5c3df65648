import { jest } from '@jest/globals';
import { describeEachEngine } from './support/engines.js';
import { startTestApp } from './support/test-app.js';

describeEachEngine('generated admin password', (engine) => {
  it('is printed once on first start, only its hash is stored, and it keeps working after a restart', async () => {
    const printed: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    let first;
    try {
      first = await startTestApp({ engine, env: { ADMIN_PASSWORD: undefined } });
    } finally {
      spy.mockRestore();
    }
    const line = printed.find((text) => text.startsWith('Generated admin password: '));
    expect(line).toBeDefined();
    const password = /Generated admin password: (\S+)/.exec(line as string)?.[1] as string;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(first.logs.text).not.toContain(password);

    const [row] = await first.app
      .get((await import('typeorm')).DataSource)
      .query('SELECT password_hash FROM admin_users');
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(password);
    await first.close({ keepData: true });

    const printedAgain: string[] = [];
    const spyAgain = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printedAgain.push(String(chunk));
      return true;
    });
    let second;
    try {
      second = await startTestApp({
        engine,
        env: { ADMIN_PASSWORD: undefined },
        reuse: { dataDir: first.dataDir, database: first.database },
      });
    } finally {
      spyAgain.mockRestore();
    }
    try {
      expect(printedAgain.join('')).not.toContain('Generated admin password');
      await second.http().post('/admin/auth/login').send({ username: 'admin', password }).expect(200);
    } finally {
      await second.close();
    }
  });
});
