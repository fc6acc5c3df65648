import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { GROUP_NAME_PATTERN } from '../../providers/group-config.js';

/** The proxy key body (POST and PUT); seed 004's `{name, rpm, enabled}` is enough. */
export class ProxyKeyDto {
  @ApiProperty({ example: 'my-app-key' })
  @IsString()
  @Length(1, 128)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    description: 'Requests per minute; none: unlimited',
    example: 100,
    minimum: 1,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  rpm?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    description: 'Tokens per minute; none: unlimited',
    minimum: 1,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  tpm?: number | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'ISO 8601; the key stops working at this instant',
    example: '2030-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: string | null;

  @ApiPropertyOptional({
    type: [String],
    description: 'Model names or globs this key may use; empty: every model',
    example: ['gpt-4*'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 256, { each: true, message: 'each of allowedModels must be 1 to 256 characters' })
  allowedModels?: string[] | null;

  @ApiPropertyOptional({ type: [String], description: 'Group names this key may use; empty: every group' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Matches(GROUP_NAME_PATTERN, { each: true, message: 'each of allowedGroups must be a group name' })
  allowedGroups?: string[] | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    description: 'Total tokens this key may spend; none: unlimited',
    minimum: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  tokenBudget?: number | null;
}

/** PATCH: any subset; `null` clears an optional field. */
export class PatchProxyKeyDto extends PartialType(ProxyKeyDto, { skipNullProperties: false }) {}

export class ProxyKeyViewDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({
    example: 'sk-sy-AbCd…',
    description: 'Enough to recognise the key; the key itself is shown only once',
  })
  keyPrefix: string;
  @ApiProperty({ nullable: true, type: Number }) rpm: number | null;
  @ApiProperty({ nullable: true, type: Number }) tpm: number | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ description: 'expiresAt has passed' }) expired: boolean;
  @ApiProperty({ type: [String] }) allowedModels: string[];
  @ApiProperty({ type: [String] }) allowedGroups: string[];
  @ApiProperty({ nullable: true, type: Number }) tokenBudget: number | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class CreatedProxyKeyDto extends ProxyKeyViewDto {
  @ApiProperty({
    example: 'sk-sy-AbCdEf…',
    description: 'The full key: shown only in this response, store it now',
  })
  key: string;
}
