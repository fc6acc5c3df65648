import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class AuditQueryDto {
  @ApiPropertyOptional({
    description: 'Only rows about this entity',
    example: 'group',
    enum: ['group', 'upstream_key', 'proxy_key', 'setting'],
  })
  @IsOptional()
  @Matches(/^[a-z_]{1,32}$/, {
    message: 'entity must be an entity name such as group, upstream_key, proxy_key or setting',
  })
  entity?: string;

  @ApiPropertyOptional({ description: 'Only rows about this entity id' })
  @IsOptional()
  @Matches(/^[\w.-]{1,64}$/, { message: 'entityId must be an id' })
  entityId?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}

export class AuditLogDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: '2025-01-01T12:00:00.000Z' }) at: string;
  @ApiProperty({ example: 'admin' }) actor: string;
  @ApiProperty({ enum: ['create', 'update', 'delete', 'rotate', 'enable', 'disable'] }) action: string;
  @ApiProperty({ example: 'group' }) entity: string;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({
    description: 'Changed fields; secrets appear as "[redacted]"',
    type: 'object',
    additionalProperties: true,
  })
  changes: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditLogDto] }) items: AuditLogDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
