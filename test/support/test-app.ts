import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { createLogger } from '../../src/common/logging/logger.js';
import { AppConfig, DbType } from '../../src/config/app-config.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { resolveSecrets } from '../../src/config/secrets.js';
import { LogCapture } from './log-capture.js';
import { createTestDatabase, TestDatabase } from './mysql.js';

export const TEST_ADMIN = { username: 'admin', password: 'test-admin-password-123' };
export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestAppOptions {
  engine: DbType;
  /** Extra environment variables (API.md §5 names) over the test defaults. */
  env?: Record<string, string | undefined>;
  /** Reuse a data directory / database from an earlier app (restart tests). */
  reuse?: { dataDir: string; database?: TestDatabase };
  /** Route MySQL through this host:port (a TcpProxy) instead of connecting directly. */
  mysqlHostPort?: string;
}

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly config: AppConfig;
  readonly url: string;
  readonly logs: LogCapture;
  readonly dataDir: string;
  readonly database?: TestDatabase;
  http(): ReturnType<typeof request>;
  /** A fresh admin JWT. */
  login(): Promise<string>;
  /** Closes the app; `keepData` leaves the data directory and database for a restart. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** Boots the real AppModule on a free port against a fresh SQLite file or MySQL database. */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const dataDir = options.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'switchyard-test-'));
  const database =
    options.engine === 'mysql' ? (options.reuse?.database ?? (await createTestDatabase())) : undefined;
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DB_TYPE: options.engine,
    DB_PATH: join(dataDir, 'switchyard.db'),
    DATABASE_URL: database?.url(options.mysqlHostPort),
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    JWT_SECRET: TEST_JWT_SECRET,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_SECONDS: '2',
    ...options.env,
  };
  const config = resolveSecrets(parseConfig(env));
  const logs = new LogCapture();
  const app = await createApp(config, createLogger(config.logLevel, logs));
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    app,
    config,
    url,
    logs,
    dataDir,
    database,
    http: () => request(url),
    login: async () => {
      const res = await request(url).post('/admin/auth/login').send(TEST_ADMIN).expect(200);
      return (res.body as { access_token: string }).access_token;
    },
    close: async ({ keepData = false } = {}) => {
      await app.close();
      if (keepData) return;
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Two replicas in this process on one fresh MySQL database, each with its own data directory:
 * the first migrates, the second starts on what the first made. Close them with `closeReplicas`.
 */
export async function startReplicas(env: Record<string, string | undefined>): Promise<TestApp[]> {
  const first = await startTestApp({ engine: 'mysql', env });
  const second = await startTestApp({
    engine: 'mysql',
    env,
    reuse: { dataDir: mkdtempSync(join(tmpdir(), 'switchyard-test-')), database: first.database },
  });
  return [first, second];
}

/** Closes replicas from `startReplicas`: the last one closed drops the database. */
export async function closeReplicas(apps: readonly TestApp[] | undefined): Promise<void> {
  if (!apps) return;
  for (const app of apps.slice(1)) await app.close({ keepData: true });
  await apps[0]?.close();
}
