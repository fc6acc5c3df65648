import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto.js';

export class AuditQueryDto extends PageQueryDto {
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
}

export class AuditLogDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: '2025-01-01T12:00:00.000Z' }) at: string;
  @ApiProperty({ example: 'admin' }) actor: string;
  @ApiProperty({ enum: ['create', 'update', 'delete', 'rotate', 'enable', 'disable', 'test'] })
  action: string;
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
