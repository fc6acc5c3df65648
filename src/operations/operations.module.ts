import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KeyHealthModule } from '../key-health/key-health.module.js';
import { RoutingLoaderModule } from '../routing-loader/routing-loader.module.js';
import { StatsModule } from '../stats/stats.module.js';
import { ProbesController } from './probes.controller.js';
import { StatusController } from './status.controller.js';
import { StatusService } from './status.service.js';

/** Running the gateway: the Kubernetes probes `/health*` and `/admin/status`, above what they read. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), KeyHealthModule, RoutingLoaderModule, StatsModule],
  controllers: [ProbesController, StatusController],
  providers: [StatusService],
})
export class OperationsModule {}
