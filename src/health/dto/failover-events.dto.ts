import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { FAILOVER_EVENT_TYPES, type FailoverEventType } from '../failover-event-of.js';
import { OptionalIdFilter, TimeWindowPageQueryDto } from '../../common/page-query.dto.js';

export class FailoverEventsQueryDto extends TimeWindowPageQueryDto {
  @OptionalIdFilter('Provider group id')
  groupId?: number;

  @OptionalIdFilter('Upstream key id')
  keyId?: number;

  @ApiPropertyOptional({ enum: FAILOVER_EVENT_TYPES })
  @IsOptional()
  @IsIn(FAILOVER_EVENT_TYPES)
  type?: FailoverEventType;
}

export class FailoverEventDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: '2025-01-01T12:00:00.000Z' }) at: string;
  @ApiProperty() groupId: number;
  @ApiProperty() groupName: string;
  @ApiProperty() keyId: number;
  @ApiProperty({ example: 'sk-…abcd' }) keyMasked: string;
  @ApiProperty({ enum: FAILOVER_EVENT_TYPES }) type: string;
  @ApiProperty({ example: 'closed' }) from: string;
  @ApiProperty({ example: 'open' }) to: string;
  @ApiProperty({ example: 'failure_threshold' }) reason: string;
  @ApiProperty({ type: Number, nullable: true }) statusCode: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Redacted' }) error: string | null;
  @ApiProperty() consecutiveFailures: number;
  @ApiProperty({ type: Number, nullable: true }) nextRetrySeconds: number | null;
}

export class FailoverEventsPageDto {
  @ApiProperty({ type: [FailoverEventDto] }) items: FailoverEventDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
