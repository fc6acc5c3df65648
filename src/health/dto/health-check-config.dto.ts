import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

// Seed 000's field names (snake_case) on the wire.

export const MAX_INTERVAL_MINUTES = 1440;
export const MAX_ERROR_COUNT = 1000;
export const MIN_RETRY_AFTER_HOURS = 0.01;
export const MAX_RETRY_AFTER_HOURS = 720;

export class HealthCheckConfigDto {
  @ApiProperty({ example: true }) enabled: boolean;
  @ApiProperty({ example: 5, description: 'Minutes between two runs' }) interval_minutes: number;
  @ApiProperty({ example: 5, description: 'Failed checks in a row before a key is unhealthy' })
  max_error_count: number;
  @ApiProperty({ example: 1, description: 'Hours before an unhealthy key is checked again' })
  retry_after_hours: number;
}

/** `PUT /api/health-check/config`: fields left out keep their value. */
export class UpdateHealthCheckConfigDto {
  @ApiPropertyOptional({ example: true, description: 'false stops the job' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ example: 5, minimum: 1, maximum: MAX_INTERVAL_MINUTES })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_INTERVAL_MINUTES)
  interval_minutes?: number;

  @ApiPropertyOptional({ example: 5, minimum: 1, maximum: MAX_ERROR_COUNT })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ERROR_COUNT)
  max_error_count?: number;

  @ApiPropertyOptional({
    example: 1,
    minimum: MIN_RETRY_AFTER_HOURS,
    maximum: MAX_RETRY_AFTER_HOURS,
    description: 'Fractions allowed (0.5 = 30 minutes)',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(MIN_RETRY_AFTER_HOURS)
  @Max(MAX_RETRY_AFTER_HOURS)
  retry_after_hours?: number;
}
