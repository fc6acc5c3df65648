import { Module } from '@nestjs/common';

// Placeholder: filled in by its own change.
@Module({})
export class UpstreamModule {}
