import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BALANCE_POLICIES, type BalancePolicy } from '../../config/app-config.js';
import { PROVIDER_TYPES, type ProviderType } from '../../upstream/provider-type.js';
import { ProbeDto } from './group.dto.js';
import { HEALTH_STATUSES, ROUTABILITY_REASONS } from '../../key-health/routability.js';

// Response shapes. An upstream key is only ever shown masked.

export class KeyHealthViewDto {
  @ApiProperty({ enum: HEALTH_STATUSES }) status: string;
  @ApiProperty({
    enum: ROUTABILITY_REASONS,
    description: 'Why the key is or is not taking traffic',
  })
  reason: string;
  @ApiProperty({ type: String, nullable: true, description: 'When a time-bound block ends (ISO 8601)' })
  availableAt: string | null;
}

export class UpstreamKeyViewDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'sk-…abcd', description: 'Masked; the full key is never returned' }) masked: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty() weight: number;
  @ApiProperty({
    description: 'False when the stored value cannot be decrypted; such a key is never routed to',
  })
  usable: boolean;
  @ApiProperty({ type: KeyHealthViewDto }) health: KeyHealthViewDto;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class GroupViewDto {
  @ApiProperty() id: number;
  @ApiProperty() groupName: string;
  @ApiProperty({ enum: PROVIDER_TYPES }) providerType: ProviderType;
  @ApiProperty({ description: 'Effective base URL (the provider default when none was set)' })
  baseUrl: string;
  @ApiProperty({ type: [String] }) models: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) modelMap: Record<string, string>;
  @ApiProperty({ enum: BALANCE_POLICIES }) balancePolicy: BalancePolicy;
  @ApiProperty() retryCount: number;
  @ApiProperty({ description: 'Seconds' }) timeout: number;
  @ApiProperty() priority: number;
  @ApiProperty() weight: number;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) parameters: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Credential-like header values are masked',
  })
  headers: Record<string, string>;
  @ApiProperty({ type: ProbeDto }) probe: ProbeDto;
  @ApiPropertyOptional({ description: 'Azure api-version' }) apiVersion?: string;
  @ApiProperty({ type: [UpstreamKeyViewDto] }) keys: UpstreamKeyViewDto[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
