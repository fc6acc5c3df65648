import { Module } from '@nestjs/common';
import { HealthState } from './health-state.service.js';

/**
 * The one HealthState instance, on its own so that the providers' admin views can show each key's
 * health without depending on the health module (which depends on them).
 */
@Module({ providers: [HealthState], exports: [HealthState] })
export class HealthStateModule {}
