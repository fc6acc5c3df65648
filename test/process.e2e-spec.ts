import { request } from 'node:http';
import { ENGINES } from './support/engines.js';
import { MYSQL_ADMIN_URL } from './support/mysql.js';
import { SpawnedGateway, spawnGateway } from './support/spawn-gateway.js';
import { waitFor } from './support/usage-records.js';

describe('the gateway process', () => {
  const spawned: SpawnedGateway[] = [];
  const start = (env?: Record<string, string>) => {
    const gateway = spawnGateway(env);
    spawned.push(gateway);
    return gateway;
  };
  afterAll(() => spawned.forEach((gateway) => gateway.cleanup()));

  it.each([
    [{ DB_TYPE: 'postgres' }, 'DB_TYPE must be one of sqlite, mysql (got "postgres")'],
    [{ PORT: 'abc' }, 'PORT must be an integer from 0 to 65535 (got "abc")'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET must be set to at least 32 characters when NODE_ENV=production'],
    [
      { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) },
      'ENCRYPTION_KEY must be set (32 bytes, base64 or hex) when NODE_ENV=production',
    ],
  ])('refuses to start with %j and names the setting', async (env, message) => {
    const sut = start(env);
    await expect(sut.exited()).resolves.toBe(1);
    expect(sut.stderr()).toContain(message);
    expect(sut.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses an unknown key in CONFIG_FILE, naming the nearest known one', async () => {
    const sut = start({ CONFIG_FILE: 'test/fixtures/config-typo.json' });
    await expect(sut.exited()).resolves.toBe(1);
    expect(sut.stderr()).toContain('unknown section "Servr" (did you mean "Server"?)');
  });

  (ENGINES.includes('mysql') ? it : it.skip)(
    'says in one line how to create a missing MySQL database',
    async () => {
      const database = `switchyard_missing_${process.pid}`;
      const sut = start({ DB_TYPE: 'mysql', DATABASE_URL: `${MYSQL_ADMIN_URL}/${database}` });
      await expect(sut.exited()).resolves.toBe(1);
      expect(sut.stderr()).toMatch(/^Switchyard cannot start: MySQL at \S+ has no database/);
      expect(sut.stderr().trim().split('\n')).toEqual([
        expect.stringContaining(
          `has no database "${database}". Create it once (as an administrator): CREATE DATABASE \`${database}\``,
        ),
      ]);
      expect(sut.stdout()).not.toMatch(/\n\s+at /);
    },
  );

  it('finishes an in-flight request after SIGTERM, then exits 0', async () => {
    const sut = start();
    const port = await sut.listening();

    // A login whose body is still arriving when SIGTERM lands: it must still get its answer.
    // `Expect: 100-continue` has the server say when it has taken the request, and the body's tail
    // goes out only once the shutdown has begun.
    const [head, tail] = ['{"username":"admin",', '"password":"proc-test-password"}'];
    const headers = {
      'content-type': 'application/json',
      'content-length': String(head.length + tail.length),
      expect: '100-continue',
    };
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/admin/auth/login', headers });
    const answer = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
    const taken = new Promise<void>((resolve) => req.once('continue', resolve));
    req.flushHeaders();
    await taken;
    req.write(head);
    sut.child.kill('SIGTERM');
    await waitFor(
      () => sut.stdout().includes('Shutting down: draining in-flight requests'),
      10_000,
      'the shutdown to begin',
    );
    req.end(tail);

    await expect(answer).resolves.toBe(200);
    await expect(sut.exited()).resolves.toBe(0);
    expect(sut.stdout()).toContain('Shutting down: draining in-flight requests');
    expect(sut.stdout()).toContain('Shutdown complete');
  });

  it('starts with zero configuration on SQLite and boxes the generated admin password on stderr', async () => {
    const sut = start({ ADMIN_PASSWORD: '' });
    const port = await sut.listening();
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(res.status).toBe(200);
    await waitFor(() => sut.stderr().includes('└'), 5000, 'the start-up banner');
    const password = /Admin password: +(\S{20,})/.exec(sut.stderr())?.[1] as string;
    expect(password).toBeDefined();
    expect(sut.stderr()).toContain(`Dashboard:       http://127.0.0.1:${port}/dashboard`);
    expect(sut.stderr()).toContain(`API docs:        http://127.0.0.1:${port}/swagger`);
    expect(sut.stdout()).not.toContain(password);
    // Nest's per-module and per-route lines are debug now: a handful of info lines remain.
    expect(sut.stdout()).not.toContain('InstanceLoader');
    expect(sut.stdout().trim().split('\n').length).toBeLessThan(15);
    const login = await fetch(`http://127.0.0.1:${port}/admin/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    sut.child.kill('SIGINT');
    await expect(sut.exited()).resolves.toBe(0);
  });

  it('applies the V8 memory flags before loading the app, and V8_FLAGS replaces them', async () => {
    const tuned = start();
    await tuned.listening();
    await waitFor(() => tuned.stdout().includes('V8 flags: '), 5000, 'the V8 flags line');
    // As the README documents them; importing src/v8-tuning.ts here would tune the test runner.
    expect(tuned.stdout()).toContain('V8 flags: --heap-growing-percent=25 --liftoff-only');
    tuned.child.kill('SIGTERM');
    await tuned.exited();

    const plain = start({ V8_FLAGS: '' });
    await plain.listening();
    await waitFor(() => plain.stdout().includes('V8 flags: '), 5000, 'the V8 flags line');
    expect(plain.stdout()).toContain("V8 flags: none (V8's defaults)");
    plain.child.kill('SIGTERM');
    await plain.exited();
  });
});
