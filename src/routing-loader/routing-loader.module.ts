import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProviderGroup } from '../providers/provider-group.entity.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { UpstreamKey } from '../providers/upstream-key.entity.js';
import { ProxyKey } from '../proxy-keys/proxy-key.entity.js';
import { ROUTING_SOURCE } from '../routing/routing-source.js';
import { RoutingTable } from '../routing/routing-table.js';
import { DatabaseRoutingSource } from './database-routing-source.js';

/** The one RoutingTable, fed from the groups, keys and proxy keys the admin modules own. */
@Module({
  imports: [TypeOrmModule.forFeature([ProviderGroup, UpstreamKey, ProxyKey]), ProvidersModule],
  providers: [{ provide: ROUTING_SOURCE, useClass: DatabaseRoutingSource }, RoutingTable],
  exports: [RoutingTable],
})
export class RoutingLoaderModule {}
