import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProbesController } from './probes.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [ProbesController],
})
export class HealthModule {}
