import { Module } from '@nestjs/common';
import { KeyHealthModule } from '../key-health/key-health.module.js';
import { RoutingLoaderModule } from '../routing-loader/routing-loader.module.js';
import { StatsModule } from '../stats/stats.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { CandidatePlanner } from './candidates.js';
import { ProxyEntry } from './proxy-entry.js';
import { ProxyService } from './proxy.service.js';
import { RateLimitsService } from './rate-limits.service.js';

/** The inbound `/v1` API; its entry point is mounted on the HTTP server by `mountProxyEntry`. */
@Module({
  imports: [RoutingLoaderModule, KeyHealthModule, UpstreamModule, StatsModule],
  providers: [CandidatePlanner, RateLimitsService, ProxyService, ProxyEntry],
})
export class ProxyModule {}
