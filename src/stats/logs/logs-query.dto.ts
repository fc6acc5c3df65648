import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, MaxLength } from 'class-validator';
import { STATUS_FILTER_PATTERN } from './status-filter.js';
import { OptionalIdFilter, TimeWindowPageQueryDto } from '../../common/page-query.dto.js';

export class LogsQueryDto extends TimeWindowPageQueryDto {
  @ApiPropertyOptional({ description: 'The model the client asked for (exact)', example: 'gpt-4o' })
  @IsOptional()
  @MaxLength(200)
  model?: string;

  @ApiPropertyOptional({
    description: 'One request: the `x-request-id` of its answer (also named in gateway error messages)',
  })
  @IsOptional()
  @MaxLength(128)
  requestId?: string;

  @OptionalIdFilter('Provider group id')
  groupId?: number;

  @OptionalIdFilter('Proxy key id')
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

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: only requests that pinned their backend; false: only the others',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'pinned must be true or false' })
  pinned?: 'true' | 'false';
}
