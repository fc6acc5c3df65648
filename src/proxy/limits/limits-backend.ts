import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

export type LimitsBackend = 'redis' | 'memory';

/**
 * Follows the shared connection for the limits: logs once when they fall back to each replica's
 * memory and once when they are shared again, and calls `onShared` each time Redis is back (to
 * re-create what a restarted Redis lost and add what was spent meanwhile).
 */
export function watchLimitsBackend(client: Redis, replicasExpected: number, onShared: () => void): void {
  const logger = new Logger('RateLimits');
  let state: 'starting' | 'up' | 'down' = client.status === 'ready' ? 'up' : 'starting';
  client.on('ready', () => {
    if (state === 'down') logger.log('Proxy-key limits are shared through Redis again');
    state = 'up';
    onShared();
  });
  client.on('close', () => {
    if (state === 'down') return;
    state = 'down';
    logger.warn(
      `Redis is unreachable: proxy-key limits are counted by each replica alone, ` +
        `1/${replicasExpected} of each limit (REPLICAS_EXPECTED=${replicasExpected})`,
    );
  });
}
