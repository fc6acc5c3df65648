import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own per test run, so parallel runs sharing one Redis never collide. */
export function uniqueRedisPrefix(): string {
  return `switchyard-test-${randomBytes(5).toString('hex')}:`;
}

export function testRedisClient(): Redis {
  return new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
}

/**
 * Redis (127.0.0.1:6379 on the project's machines) is mandatory under CI; on a developer machine
 * without it the Redis suites are skipped with a notice.
 */
export async function redisAvailable(): Promise<boolean> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === 'true' || process.env.CI === '1')
      throw new Error(
        `Redis is not reachable at ${TEST_REDIS_URL}; the Redis suites are mandatory under CI`,
        {
          cause: error,
        },
      );
    process.stderr.write(
      `\n[switchyard tests] Redis not reachable at ${TEST_REDIS_URL}: skipping its suites\n`,
    );
    return false;
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under the prefix (what a test run left behind). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const client = testRedisClient();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanStream({ match: `${prefix}*`, count: 100 }))
      keys.push(...(batch as string[]));
    if (keys.length > 0) await client.del(...keys);
  } finally {
    await client.quit();
  }
}

/**
 * Closes a test's client whatever its state. Disconnecting one whose connection is already gone
 * would leave ioredis's 2 s socket timer behind, holding the Jest worker past its exit.
 */
export async function closeClient(client: Redis | undefined): Promise<void> {
  if (!client || client.status === 'end') return;
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}
