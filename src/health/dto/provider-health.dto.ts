import { ApiProperty } from '@nestjs/swagger';
import {
  HEALTH_STATUSES,
  ROUTABILITY_REASONS,
  type HealthStatus,
  type RoutabilityReason,
} from '../../key-health/routability.js';

// The health API's rows (API.md §3, seed 000's snake_case names).

const STATUSES = [...HEALTH_STATUSES];
const REASONS = [...ROUTABILITY_REASONS];
const nullableString = { type: String, nullable: true } as const;
const nullableNumber = { type: Number, nullable: true } as const;

class HealthFieldsDto {
  @ApiProperty({ enum: STATUSES }) status: HealthStatus;
  @ApiProperty() is_healthy: boolean;
  @ApiProperty({ description: 'Failed scheduled checks in a row (a group: the sum over its keys)' })
  error_count: number;
  @ApiProperty({ description: 'Passed scheduled checks in a row (a group: the fewest of its enabled keys)' })
  consecutive_successes: number;
  @ApiProperty({ description: 'The circuit breaker’s consecutive failures (a group: the most of its keys)' })
  consecutive_failures: number;
  @ApiProperty({
    ...nullableString,
    description:
      'The current problem, cleared by a success (a passed check, a closed breaker); redacted, at most 500 characters (a group: that of its most recently failed key)',
  })
  last_error: string | null;
  @ApiProperty({
    ...nullableString,
    description: 'The most recent failure, kept after a success as history; redacted, at most 500 characters',
  })
  last_failure: string | null;
  @ApiProperty({ ...nullableString, description: 'When the most recent failure happened' })
  last_failure_at: string | null;
  @ApiProperty(nullableNumber) last_status_code: number | null;
  @ApiProperty(nullableString) last_check_at: string | null;
  @ApiProperty({
    ...nullableString,
    description: 'When the key (a group: its first key) is due back in rotation',
  })
  next_retry_at: string | null;
  @ApiProperty({
    ...nullableNumber,
    example: 99.5,
    description: 'Percent of proxied requests that succeeded in the last 24 h; null without traffic',
  })
  success_rate_24h: number | null;
  @ApiProperty({ example: 1500 }) total_requests_24h: number;
}

export class KeyHealthDto extends HealthFieldsDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'sk-…abcd' }) masked: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ description: 'Would the proxy pick this key now?' }) available: boolean;
  @ApiProperty({ enum: REASONS, description: 'Why the key is or is not taking traffic' })
  reason: RoutabilityReason;
  @ApiProperty({
    ...nullableString,
    description: 'When a time-bound block ends; null if none, or only a check or an admin can lift it',
  })
  available_at: string | null;
  @ApiProperty({ enum: ['closed', 'open', 'half_open'] }) breaker_state: string;
  @ApiProperty(nullableString) last_success_at: string | null;
}

export class ProviderHealthDto extends HealthFieldsDto {
  @ApiProperty({ description: 'The group id' }) provider_id: number;
  @ApiProperty({ description: 'The group name' }) provider_name: string;
  @ApiProperty({ type: [KeyHealthDto] }) keys: KeyHealthDto[];
}

export class ProviderHealthListEnvelope {
  @ApiProperty({ example: 200 }) code: number;
  @ApiProperty({ type: [ProviderHealthDto] }) data: ProviderHealthDto[];
}

export class ProviderHealthEnvelope {
  @ApiProperty({ example: 200 }) code: number;
  @ApiProperty({ type: ProviderHealthDto }) data: ProviderHealthDto;
}
