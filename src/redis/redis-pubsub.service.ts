import { Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnection } from './redis-connection.js';
import { describeError } from '../common/describe-error.js';

export type MessageHandler = (message: string) => void;

/**
 * Publish/subscribe over the shared Redis, channel names under the configured prefix. One
 * subscriber connection serves every channel. Delivery is at most once: a replica that is cut off
 * from Redis misses what was published meanwhile, so `onSubscribed` tells callers each time the
 * subscription (re)starts, for them to catch up from the source of truth.
 */
@Injectable()
export class RedisPubSub {
  private readonly logger = new Logger(RedisPubSub.name);
  private connection?: Redis;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly subscribedListeners = new Set<() => void>();

  constructor(private readonly redis: RedisConnection) {}

  get enabled(): boolean {
    return this.redis.enabled;
  }

  subscribe(channel: string, handler: MessageHandler): void {
    const name = this.redis.key(channel);
    const handlers = this.handlers.get(name) ?? new Set<MessageHandler>();
    handlers.add(handler);
    this.handlers.set(name, handlers);
    if (this.connection) void this.subscribeAll(this.connection);
    else this.connection = this.connect();
  }

  /** Called after every successful (re)subscription. */
  onSubscribed(listener: () => void): void {
    this.subscribedListeners.add(listener);
  }

  /** False when Redis is unavailable or not configured; the caller decides whether that matters. */
  async publish(channel: string, message: string): Promise<boolean> {
    if (!this.redis.client) return false;
    try {
      await this.redis.client.publish(this.redis.key(channel), message);
      return true;
    } catch {
      return false; // the connection logs the outage once
    }
  }

  private connect(): Redis {
    const connection = this.redis.subscriber();
    connection.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) {
        try {
          handler(message);
        } catch (error) {
          this.logger.error({ msg: 'Handler failed', channel, error: describeError(error) });
        }
      }
    });
    // ioredis resubscribes by itself after a reconnection, but only to channels whose SUBSCRIBE
    // succeeded; subscribing to all of them on every 'ready' also covers those that failed.
    connection.on('ready', () => void this.subscribeAll(connection));
    void connection.connect().catch(() => undefined); // failures are logged by RedisConnection
    return connection;
  }

  private async subscribeAll(connection: Redis): Promise<void> {
    if (connection.status !== 'ready' || this.handlers.size === 0) return;
    try {
      await connection.subscribe(...this.handlers.keys());
    } catch {
      return; // retried on the next 'ready'
    }
    for (const listener of this.subscribedListeners) listener();
  }
}
