import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export async function mysqlReachable(): Promise<boolean> {
  try {
    const connection = await createConnection({ uri: MYSQL_ADMIN_URL, connectTimeout: 2000 });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

export interface TestDatabase {
  readonly name: string;
  /** `mysql://…/<name>` through `host:port` (a TCP proxy, say) when given. */
  url(hostPort?: string): string;
  drop(): Promise<void>;
}

/** A fresh, uniquely named database; `drop()` removes it. Tests never rely on leftovers. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `switchyard_test_${randomBytes(5).toString('hex')}`;
  const connection = await createConnection({ uri: MYSQL_ADMIN_URL });
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();
  const admin = new URL(MYSQL_ADMIN_URL);
  return {
    name,
    url: (hostPort = admin.host) =>
      `mysql://${admin.username || 'root'}${admin.password ? `:${admin.password}` : ''}@${hostPort}/${name}`,
    drop: async () => {
      const dropper = await createConnection({ uri: MYSQL_ADMIN_URL });
      await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await dropper.end();
    },
  };
}
