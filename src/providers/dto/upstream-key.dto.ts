import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { UPSTREAM_KEY_MESSAGE, UPSTREAM_KEY_PATTERN } from './group.dto.js';

/** `POST /admin/groups/:id/keys`: one key (`apiKey`) or several (`apiKeys`). */
export class AddUpstreamKeysDto {
  @ApiPropertyOptional({ description: 'One upstream key', example: 'sk-your-openai-key-3' })
  @ValidateIf((body: AddUpstreamKeysDto) => body.apiKeys === undefined)
  @IsString({ message: 'apiKey (or apiKeys) is required' })
  @Matches(UPSTREAM_KEY_PATTERN, { message: `apiKey ${UPSTREAM_KEY_MESSAGE}` })
  apiKey?: string;

  @ApiPropertyOptional({ type: [String], description: 'Several upstream keys' })
  @ValidateIf((body: AddUpstreamKeysDto) => body.apiKey === undefined)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'apiKeys must not repeat a key' })
  @IsString({ each: true })
  @Matches(UPSTREAM_KEY_PATTERN, { each: true, message: `each of apiKeys ${UPSTREAM_KEY_MESSAGE}` })
  apiKeys?: string[];

  @ApiPropertyOptional({ default: 1, minimum: 0 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  weight?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** `PATCH /admin/groups/:id/keys/:keyId`. */
export class PatchUpstreamKeyDto {
  @ApiPropertyOptional()
  @ValidateIf((_body, value) => value !== undefined)
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ minimum: 0 })
  @ValidateIf((_body, value) => value !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  weight?: number;
}
