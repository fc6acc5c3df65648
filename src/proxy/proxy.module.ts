import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { StatsModule } from '../stats/stats.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { CandidatePlanner } from './candidates.js';
import { ProxyEntry } from './proxy-entry.js';
import { ProxyService } from './proxy.service.js';
import { RateLimitsService } from './rate-limits.service.js';

/** The inbound `/v1` API; its entry point is mounted on the HTTP server by `mountProxyEntry`. */
@Module({
  imports: [ProvidersModule, UpstreamModule, HealthModule, StatsModule],
  providers: [CandidatePlanner, RateLimitsService, ProxyService, ProxyEntry],
  exports: [RateLimitsService],
})
export class ProxyModule {}
