import { Module } from '@nestjs/common';
import { HealthState } from './health-state.service.js';

/** The one HealthState instance: the proxy, the admin views, the checks and the status all read it. */
@Module({ providers: [HealthState], exports: [HealthState] })
export class KeyHealthModule {}
