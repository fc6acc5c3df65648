import { MAX_FAILURES_PER_ACCOUNT_AND_IP } from '../src/auth/login-limiters.js';
import { RedisConnection } from '../src/redis/redis-connection.js';
import { ENGINES } from './support/engines.js';
import { deleteRedisKeys, redisAvailable, TEST_REDIS_URL, uniqueRedisPrefix } from './support/redis.js';
import { closeReplicas, startReplicas, TEST_ADMIN, TestApp } from './support/test-app.js';
import { waitFor } from './support/usage-records.js';

// Admin sign-in across two replicas on one MySQL database and one Redis: wrong passwords count
// once across both (spreading guesses over the replicas gains nothing), and a password change on
// one replica revokes older tokens on the other at once.

const runs = ENGINES.includes('mysql') && (await redisAvailable());

(runs ? describe : describe.skip)('admin sign-in across two replicas sharing Redis', () => {
  const prefix = uniqueRedisPrefix();
  let replicas: TestApp[];

  const login = (replica: number, password: string) =>
    replicas[replica].http().post('/admin/auth/login').send({ username: TEST_ADMIN.username, password });
  const me = (replica: number, token: string) =>
    replicas[replica].http().get('/admin/auth/me').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    replicas = await startReplicas({ REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix });
  }, 60_000);
  afterAll(async () => {
    await closeReplicas(replicas);
    await deleteRedisKeys(prefix);
  });

  it('counts wrong passwords across both replicas', async () => {
    await waitFor(() => replicas.every((app) => app.app.get(RedisConnection).ready), 5000, 'Redis');
    for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT_AND_IP; attempt += 1)
      await login(attempt % 2, 'wrong-password').expect(401);

    // Either replica now refuses this address for this account, the right password included.
    await login(0, 'wrong-password').expect(429);
    await login(1, TEST_ADMIN.password).expect(429);
  });

  it('revokes older tokens on the other replica as soon as the password changes', async () => {
    await deleteRedisKeys(prefix); // lifts the lockout of the previous test
    const token = ((await login(0, TEST_ADMIN.password).expect(200)).body as { access_token: string })
      .access_token;
    await me(1, token).expect(200); // replica B now caches the admin's token version
    await replicas[0]
      .http()
      .put('/admin/auth/password')
      .set('Authorization', `Bearer ${token}`)
      .send({ currentPassword: TEST_ADMIN.password, newPassword: 'another-admin-password-789' })
      .expect(200);
    const changed = Date.now();

    await waitFor(async () => (await me(1, token)).status === 401, 3000, 'replica B to refuse the token');
    expect(Date.now() - changed).toBeLessThan(1000); // the cache alone would keep it for 5 s
  });
});
