import { AdminUsersService } from '../src/auth/admin-users.service.js';
import { describeEachEngine } from './support/engines.js';
import { startTestApp } from './support/test-app.js';

// The process prints the password in its start-up banner (see process.e2e-spec.ts); here, what
// the banner takes: generated once, never logged, only its hash stored, still valid after a restart.
describeEachEngine('generated admin password', (engine) => {
  it('is generated once on first start, only its hash is stored, and it keeps working after a restart', async () => {
    const first = await startTestApp({ engine, env: { ADMIN_PASSWORD: undefined } });
    const admins = first.app.get(AdminUsersService);
    const password = admins.takeGeneratedPassword() as string;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(admins.takeGeneratedPassword()).toBeUndefined(); // shown once
    expect(first.logs.text).not.toContain(password);

    const [row] = await first.app
      .get((await import('typeorm')).DataSource)
      .query('SELECT password_hash FROM admin_users');
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(password);
    await first.close({ keepData: true });

    const second = await startTestApp({
      engine,
      env: { ADMIN_PASSWORD: undefined },
      reuse: { dataDir: first.dataDir, database: first.database },
    });
    try {
      expect(second.app.get(AdminUsersService).takeGeneratedPassword()).toBeUndefined();
      await second.http().post('/admin/auth/login').send({ username: 'admin', password }).expect(200);
    } finally {
      await second.close();
    }
  });
});
