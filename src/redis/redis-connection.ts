import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

// A command waits at most this long, and is retried over at most one reconnection, so a Redis
// outage turns into a quick error for the caller, never a hung lease renewal or publish.
const COMMAND_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 3000;
const MAX_RECONNECT_DELAY_MS = 5000;
const QUIT_TIMEOUT_MS = 1000;

/** ioredis options: lazy connect, reconnects forever with a capped back-off, fast-failing commands. */
export function redisOptions(): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(200 * 2 ** Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS),
  };
}

/**
 * The one shared Redis client, present only when `REDIS_URL` is set. It connects in the
 * background once the application has started, so a Redis that is down never delays start-up, and it is not a readiness dependency: features
 * that use it degrade (see docs/replicas.md) instead of taking the replica out of service.
 * `subscriber()` hands out extra connections for SUBSCRIBE, which blocks a connection for
 * anything else.
 */
@Injectable()
export class RedisConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  readonly client?: Redis;
  /** Prepended to every key and channel name, so several gateways can share one Redis. */
  readonly prefix: string;
  private readonly extra: Redis[] = [];

  constructor(config: AppConfig) {
    this.prefix = config.redisKeyPrefix;
    if (config.redisUrl) this.client = this.watch(new Redis(config.redisUrl, redisOptions()), 'client');
  }

  get enabled(): boolean {
    return this.client !== undefined;
  }

  /** True while the client is connected and usable (never when `REDIS_URL` is not set). */
  get ready(): boolean {
    return this.client?.status === 'ready';
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** A separate connection for pub/sub; closed with the application. */
  subscriber(): Redis {
    if (!this.client) throw new Error('REDIS_URL is not set');
    const connection = this.watch(this.client.duplicate(), 'subscriber');
    this.extra.push(connection);
    return connection;
  }

  /** Connects in the background: start-up never waits for Redis, and its users find it ready. */
  onApplicationBootstrap(): void {
    if (this.client?.status === 'wait') void this.client.connect().catch(() => undefined); // logged by watch()
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.extra, ...(this.client ? [this.client] : [])].map(quit));
  }

  // ioredis reports every failed reconnection; one line per outage is enough.
  private watch(connection: Redis, role: string): Redis {
    let down = false;
    connection.on('error', (error: Error) => {
      if (down) return;
      down = true;
      this.logger.warn(`Redis ${role} connection failed (${error.message}); retrying in the background`);
    });
    connection.on('ready', () => {
      if (down) this.logger.log(`Redis ${role} connection restored`);
      down = false;
    });
    return connection;
  }
}

async function quit(connection: Redis): Promise<void> {
  // QUIT is only worth waiting for on a live connection; one still (re)connecting would hold the
  // shutdown until the timeout.
  if (connection.status !== 'ready') return connection.disconnect();
  const timer = setTimeout(() => connection.disconnect(), QUIT_TIMEOUT_MS);
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
