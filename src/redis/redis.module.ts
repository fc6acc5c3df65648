import { Global, Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection.js';
import { RedisPubSub } from './redis-pubsub.service.js';

/** The shared Redis connection (only with `REDIS_URL`) and pub/sub on top of it. */
@Global()
@Module({
  providers: [RedisConnection, RedisPubSub],
  exports: [RedisConnection, RedisPubSub],
})
export class RedisModule {}
