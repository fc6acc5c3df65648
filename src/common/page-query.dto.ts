import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

// Every numeric query parameter is bounded: an unbounded one turns `?page=99999999999999999999`
// into an offset or id neither database accepts (a 500 instead of a 400).
/** Row ids are 32-bit signed integers on both engines. */
export const MAX_ROW_ID = 2_147_483_647;
/** Far beyond any real list, and `MAX_PAGE × 200` still fits an offset on both engines. */
export const MAX_PAGE = 1_000_000;

/** An optional query-string filter on a row id (`?groupId=3`): a positive integer. */
export const OptionalIdFilter = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ description, minimum: 1, maximum: MAX_ROW_ID }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_ROW_ID),
  );

/** `page` and `pageSize` of every paginated admin list; list query DTOs extend it. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}

/** A page of rows within an optional time window `[from, to)`. */
export class TimeWindowPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'At or after this time (ISO 8601)', example: '2025-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
