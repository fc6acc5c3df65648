import { Module } from '@nestjs/common';
import { KeyHealthModule } from '../key-health/key-health.module.js';
import { RoutingLoaderModule } from '../routing-loader/routing-loader.module.js';
import { KeyHealthSync } from './key-health-sync.service.js';

/** Key health shared between replicas through Redis; idle without `REDIS_URL`. */
@Module({
  imports: [KeyHealthModule, RoutingLoaderModule],
  providers: [KeyHealthSync],
  exports: [KeyHealthSync],
})
export class KeyHealthSyncModule {}
