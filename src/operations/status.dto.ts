import { ApiProperty } from '@nestjs/swagger';

export class HealthCountsDto {
  @ApiProperty() total: number;
  @ApiProperty() healthy: number;
  @ApiProperty() recovering: number;
  @ApiProperty() unhealthy: number;
}

class DatabaseStatusDto {
  @ApiProperty({ enum: ['sqlite', 'mysql'] }) type: string;
  @ApiProperty() reachable: boolean;
}

class RedisStatusDto {
  @ApiProperty() configured: boolean;
  @ApiProperty({ description: 'false when not configured' }) reachable: boolean;
  @ApiProperty({
    enum: ['redis', 'memory'],
    description: 'Where proxy-key limits are counted: shared in Redis, or by this replica alone',
  })
  limitsBackend: 'redis' | 'memory';
}

class Last24hDto {
  @ApiProperty({ nullable: true, type: Number, description: 'null while the database is unreachable' })
  requests: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '0..1' }) successRate: number | null;
  @ApiProperty({ nullable: true, type: Number }) latencyP50Ms: number | null;
  @ApiProperty({ nullable: true, type: Number }) latencyP95Ms: number | null;
}

class MemoryDto {
  @ApiProperty() rssBytes: number;
  @ApiProperty() heapUsedBytes: number;
}

class EventLoopLagDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Over the current minute' }) meanMs:
    number | null;
  @ApiProperty({ nullable: true, type: Number }) p99Ms: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxMs: number | null;
}

export class StatusDto {
  @ApiProperty({ example: '0.1.0' }) version: string;
  @ApiProperty() uptimeSeconds: number;
  @ApiProperty({ type: DatabaseStatusDto }) database: DatabaseStatusDto;
  @ApiProperty({ type: RedisStatusDto }) redis: RedisStatusDto;
  @ApiProperty({
    type: HealthCountsDto,
    description: 'Enabled groups with usable keys; a group is as healthy as its best key',
  })
  groups: HealthCountsDto;
  @ApiProperty({ type: HealthCountsDto }) keys: HealthCountsDto;
  @ApiProperty({ type: Last24hDto }) last24h: Last24hDto;
  @ApiProperty({ description: 'Usage records waiting to be written' }) usageQueueDepth: number;
  @ApiProperty({ type: MemoryDto }) memory: MemoryDto;
  @ApiProperty({ type: EventLoopLagDto }) eventLoopLag: EventLoopLagDto;
}
