import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import {
  SERIES_DIMENSIONS,
  type SeriesDimension,
  STATS_RANGES,
  type StatsRange,
  TIME_BUCKETS,
  type TimeBucket,
} from './time-buckets.js';

export class OverviewQueryDto {
  @ApiPropertyOptional({
    enum: STATS_RANGES,
    default: '24h',
    description: 'Aligned down to the hour, so it covers at least this long',
  })
  @IsOptional()
  @IsIn(STATS_RANGES)
  range: StatsRange = '24h';
}

export class TimeseriesQueryDto {
  @ApiPropertyOptional({
    description: 'Start (ISO 8601); default 24 hours before `to`',
    example: '2025-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End, exclusive (ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: TIME_BUCKETS, default: 'hour', description: 'UTC hours or days' })
  @IsOptional()
  @IsIn(TIME_BUCKETS)
  bucket: TimeBucket = 'hour';

  @ApiPropertyOptional({
    enum: SERIES_DIMENSIONS,
    description: 'One series per model, group, upstream key or proxy key; one series (`all`) when absent',
  })
  @IsOptional()
  @IsIn(SERIES_DIMENSIONS)
  groupBy?: SeriesDimension;
}
