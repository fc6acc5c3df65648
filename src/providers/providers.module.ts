import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { KeyHealthModule } from '../key-health/key-health.module.js';
import { ENCRYPTION_KEY_VERIFIER } from './encryption-key-verifier.js';
import { ProviderGroup } from './provider-group.entity.js';
import { ProviderGroupsController } from './provider-groups.controller.js';
import { ProviderGroupsService } from './provider-groups.service.js';
import { UpstreamKeyCipher } from './upstream-key-cipher.js';
import { UpstreamKey } from './upstream-key.entity.js';
import { UpstreamKeysController } from './upstream-keys.controller.js';
import { UpstreamKeysService } from './upstream-keys.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ProviderGroup, UpstreamKey]), AuditModule, KeyHealthModule],
  controllers: [ProviderGroupsController, UpstreamKeysController],
  providers: [ENCRYPTION_KEY_VERIFIER, UpstreamKeyCipher, ProviderGroupsService, UpstreamKeysService],
  exports: [UpstreamKeyCipher, ProviderGroupsService],
})
export class ProvidersModule {}
