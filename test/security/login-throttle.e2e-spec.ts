import { jest } from '@jest/globals';
import { describeEachEngine } from '../support/engines.js';
import { startTestApp, TEST_ADMIN, TestApp } from '../support/test-app.js';

// Every login that reaches the password check hashes (scrypt, one at a time): about 0.1 s on an
// idle machine, up to a second on a loaded one, and some tests here make 15 to 31 in a row.
jest.setTimeout(120_000);

// The app trusts X-Forwarded-For from loopback (the default TRUST_PROXY), so each test plays a
// client at its own address.
describeEachEngine('login throttling', (engine) => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ engine });
  });
  afterAll(() => sut.close());

  const login = (ip: string, body: { username: string; password: string }) =>
    sut.http().post('/admin/auth/login').set('X-Forwarded-For', ip).send(body);

  it('refuses 40 parallel password guesses from one address beyond the first 5 (429 with Retry-After)', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        login('198.51.100.10', { username: 'admin', password: `guess-${i}` }),
      ),
    );
    const statuses = guesses.map((res) => res.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status !== 401).every((status) => status === 429)).toBe(true);
    for (const res of guesses.filter((r) => r.status === 429))
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // The pair stays locked, even for the right password.
    await login('198.51.100.10', TEST_ADMIN).expect(429);
  });

  it("does not let a stranger's wrong passwords lock the real admin out from another address", async () => {
    for (let i = 0; i < 8; i += 1) await login('198.51.100.20', { username: 'admin', password: 'wrong' });
    await login('198.51.100.20', { username: 'admin', password: 'wrong' }).expect(429);
    await login('198.51.100.21', TEST_ADMIN).expect(200);
  });

  it('locks out an address that tries many usernames', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i += 1)
      statuses.push((await login('198.51.100.30', { username: `user-${i}`, password: 'x' })).status);
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(20).every((status) => status === 429)).toBe(true);
    // Another address is unaffected.
    await login('198.51.100.31', { username: 'user-0', password: 'x' }).expect(401);
  });

  it('does not count correct logins against an address (an operator may log in all day)', async () => {
    for (let i = 0; i < 30; i += 1) await login('198.51.100.40', TEST_ADMIN).expect(200);
    await login('198.51.100.40', { username: 'admin', password: 'typo' }).expect(401);
  });

  it('forgives earlier typos once the right password is given (no slow creep into a lockout)', async () => {
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < 4; i += 1)
        await login('198.51.100.50', { username: 'admin', password: 'typo' }).expect(401);
      await login('198.51.100.50', TEST_ADMIN).expect(200);
    }
  });
});
