import { createConnection } from 'mysql2/promise';

// Runs once before the e2e suites (outside Jest's module mapping, so it imports nothing local):
// MySQL is required under CI, optional on a developer machine.
export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
  try {
    const connection = await createConnection({ uri: url, connectTimeout: 2000 });
    await connection.end();
    return;
  } catch (error) {
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error(
        `MariaDB/MySQL is not reachable at ${url} (${(error as Error).message}); the MySQL suites are mandatory under CI`,
        { cause: error },
      );
    }
    process.stderr.write(
      `\n[switchyard tests] MySQL not reachable at ${url}: running the SQLite half only\n`,
    );
    process.env.SWITCHYARD_TEST_MYSQL = 'off';
  }
}
