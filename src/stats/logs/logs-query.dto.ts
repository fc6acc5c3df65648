import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Matches, MaxLength, Min } from 'class-validator';
import { STATUS_FILTER_PATTERN } from './status-filter.js';
import { PageQueryDto } from '../../common/page-query.dto.js';

export class LogsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Only requests at or after this time (ISO 8601)',
    example: '2025-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Only requests before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'The model the client asked for (exact)', example: 'gpt-4o' })
  @IsOptional()
  @MaxLength(200)
  model?: string;

  @ApiPropertyOptional({ description: 'Provider group id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  groupId?: number;

  @ApiPropertyOptional({ description: 'Proxy key id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  proxyKeyId?: number;

  @ApiPropertyOptional({
    description: 'An exact status (429), a class (4xx, 5xx), error (≥ 400) or success (< 400)',
    example: '5xx',
  })
  @IsOptional()
  @Matches(STATUS_FILTER_PATTERN, {
    message: 'status must be a status code (429), a class (4xx), error or success',
  })
  status?: string;
}
