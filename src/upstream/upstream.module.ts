import { Module } from '@nestjs/common';
import { UpstreamClient } from './upstream-client.js';

// Adapters are plain functions and constants (adapterFor); only the HTTP client is a provider.
@Module({
  providers: [UpstreamClient],
  exports: [UpstreamClient],
})
export class UpstreamModule {}
