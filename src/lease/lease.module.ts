import { Global, Module } from '@nestjs/common';
import { LeaderElections } from './leader-elections.service.js';

/** Leader election for jobs that must run on one replica only (scheduled health checks). */
@Global()
@Module({
  providers: [LeaderElections],
  exports: [LeaderElections],
})
export class LeaseModule {}
