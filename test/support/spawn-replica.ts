import request from 'supertest';
import type { TestDatabase } from './mysql.js';
import { SpawnedGateway, spawnGateway } from './spawn-gateway.js';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from './test-app.js';

export interface SpawnedReplica {
  readonly process: SpawnedGateway;
  readonly url: string;
  /** An admin JWT, signed with the secret every replica shares. */
  readonly token: string;
}

/** One gateway process on a shared MySQL database, started and signed in to. */
export async function spawnReplica(
  database: TestDatabase,
  adminPassword: string,
  env: Record<string, string> = {},
): Promise<SpawnedReplica> {
  const gateway = spawnGateway({
    NODE_ENV: 'test',
    DB_TYPE: 'mysql',
    DATABASE_URL: database.url(),
    JWT_SECRET: TEST_JWT_SECRET,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'info',
    ...env,
  });
  const url = `http://127.0.0.1:${await gateway.listening(30_000)}`;
  const login = await request(url)
    .post('/admin/auth/login')
    .send({ username: 'admin', password: adminPassword });
  return { process: gateway, url, token: (login.body as { access_token: string }).access_token };
}
