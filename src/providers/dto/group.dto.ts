import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { BALANCE_POLICIES, type BalancePolicy } from '../../config/app-config.js';
import { AZURE_DEFAULT_API_VERSION } from '../../upstream/adapters/azure/azure.adapter.js';
import { baseUrlProblem, GROUP_NAME_PATTERN } from '../group-config.js';
import { PROVIDER_TYPES, type ProviderType } from '../../upstream/provider-type.js';
import { IsHeaderMap, IsModelMap, IsParameterMap } from './record.validators.js';

// A key travels in an HTTP header: anything but visible ASCII would make every request with it
// fail (and open the key's breaker), so it is refused when saved. Messages never echo the key.
export const UPSTREAM_KEY_PATTERN = /^[\x21-\x7e]{1,4096}$/;
export const UPSTREAM_KEY_MESSAGE =
  'must be 1 to 4096 printable ASCII characters, without spaces or control characters (it is sent in an HTTP header)';

function IsBaseUrl(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length <= 2048 && baseUrlProblem(value) === undefined,
        defaultMessage: (args) =>
          `baseUrl ${typeof args?.value === 'string' ? (baseUrlProblem(args.value) ?? 'must be at most 2048 characters') : 'must be a string'}`,
      },
    });
}

export class ProbeDto {
  @ApiProperty({
    enum: ['models', 'chat'],
    description: '`models`: GET /models; `chat`: a 1-token completion',
  })
  @IsIn(['models', 'chat'], { message: 'probe.kind must be one of: models, chat' })
  kind: 'models' | 'chat';

  @ApiPropertyOptional({ description: 'Model of the chat probe; defaults to the first of `models`' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  model?: string;
}

/** The group body of seed 004 (POST and PUT): every field, camelCase. */
export class GroupDto {
  @ApiProperty({
    example: 'openai-primary',
    description: "Unique; the name a request's `backend` field pins",
  })
  @IsString()
  @Matches(GROUP_NAME_PATTERN, {
    message:
      'groupName must be 1 to 64 characters of letters, digits, ".", "_" or "-", starting with a letter or digit',
  })
  groupName: string;

  @ApiProperty({ enum: PROVIDER_TYPES })
  @IsIn(PROVIDER_TYPES, { message: `providerType must be one of: ${PROVIDER_TYPES.join(', ')}` })
  providerType: ProviderType;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Defaults per provider type; required for azure and openai-compatible. For OpenAI-type groups a URL without a path (`http://127.0.0.1:11434`) means its `/v1`',
    example: 'https://api.openai.com/v1',
  })
  @IsOptional()
  @IsBaseUrl()
  baseUrl?: string | null;

  @ApiProperty({
    type: [String],
    description:
      'Upstream keys; stored encrypted and only ever shown masked. Empty for a local model server that needs no key (its own baseUrl, openai or openai-compatible): no credentials are sent',
    example: ['sk-your-openai-key-1'],
  })
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'apiKeys must not repeat a key' })
  @IsString({ each: true })
  @Matches(UPSTREAM_KEY_PATTERN, { each: true, message: `each of apiKeys ${UPSTREAM_KEY_MESSAGE}` })
  apiKeys: string[];

  @ApiProperty({
    type: [String],
    description: 'Exact names or globs (`gpt-4*`)',
    example: ['gpt-4', 'gpt-4-turbo'],
  })
  @IsArray()
  @ArrayNotEmpty({ message: 'models must list at least one model or glob' })
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 256, { each: true, message: 'each of models must be 1 to 256 characters' })
  models: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Client-facing alias → upstream model',
    example: { 'gpt-4-latest': 'gpt-4-turbo' },
  })
  @IsOptional()
  @IsModelMap()
  modelMap?: Record<string, string> | null;

  @ApiPropertyOptional({
    enum: BALANCE_POLICIES,
    default: 'round_robin',
    description: "Policy across this group's keys",
  })
  @IsOptional()
  @IsIn(BALANCE_POLICIES, { message: `balancePolicy must be one of: ${BALANCE_POLICIES.join(', ')}` })
  balancePolicy?: BalancePolicy | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    default: 3,
    minimum: 0,
    maximum: 10,
    description: 'Extra attempts within this group',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  retryCount?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    default: 60,
    minimum: 1,
    maximum: 600,
    description: 'Seconds per attempt',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  timeout?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    default: 1,
    minimum: 0,
    description: 'Lower is preferred; groups are tried tier by tier',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  priority?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    default: 1,
    minimum: 0,
    description: 'Share within a tier under the weighted policy',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  weight?: number | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Defaults applied where the client left a field out',
    example: { temperature: 0.7, max_tokens: 2000 },
  })
  @IsOptional()
  @IsParameterMap()
  parameters?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Extra headers sent upstream',
  })
  @IsOptional()
  @IsHeaderMap()
  headers?: Record<string, string> | null;

  @ApiPropertyOptional({
    type: ProbeDto,
    description: 'How scheduled health checks probe the keys; default `{kind: "models"}`',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProbeDto)
  probe?: ProbeDto | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: `Azure api-version (default ${AZURE_DEFAULT_API_VERSION})`,
    example: AZURE_DEFAULT_API_VERSION,
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(-preview)?$/, {
    message: 'apiVersion must look like 2024-10-21 or 2024-10-01-preview',
  })
  apiVersion?: string | null;
}

/** PATCH: any subset of the fields; keys change through the key sub-resources. `null` resets an optional field. */
export class PatchGroupDto extends PartialType(OmitType(GroupDto, ['apiKeys'] as const), {
  skipNullProperties: false,
}) {}
