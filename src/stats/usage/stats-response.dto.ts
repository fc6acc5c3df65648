import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class UsageTotalsDto {
  @ApiProperty() requests: number;
  @ApiProperty() successes: number;
  @ApiProperty() failures: number;
  @ApiProperty({ nullable: true, type: Number, description: '0..1; null without requests' }) successRate:
    number | null;
  @ApiProperty() promptTokens: number;
  @ApiProperty() completionTokens: number;
  @ApiProperty() totalTokens: number;
  @ApiProperty({ nullable: true, type: Number }) avgLatencyMs: number | null;
}

export class LatencyPercentilesDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'From request logs in the window; null without rows',
  })
  p50Ms: number | null;
  @ApiProperty({ nullable: true, type: Number }) p95Ms: number | null;
}

export class ModelUsageDto extends UsageTotalsDto {
  @ApiProperty() model: string;
}

export class GroupUsageDto extends UsageTotalsDto {
  @ApiProperty({ nullable: true, type: Number, description: 'null: requests no group served' }) groupId:
    number | null;
  @ApiProperty({ nullable: true, type: String }) groupName: string | null;
}

export class KeyUsageDto extends GroupUsageDto {
  @ApiProperty({ nullable: true, type: Number }) upstreamKeyId: number | null;
}

export class ProxyKeyUsageDto extends UsageTotalsDto {
  @ApiProperty({ nullable: true, type: Number }) proxyKeyId: number | null;
  @ApiProperty({ nullable: true, type: String }) proxyKeyName: string | null;
}

export class StatsOverviewDto {
  @ApiProperty({ example: '24h' }) range: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: UsageTotalsDto }) totals: UsageTotalsDto;
  @ApiProperty({ type: LatencyPercentilesDto }) latency: LatencyPercentilesDto;
  @ApiProperty({ type: [ModelUsageDto] }) byModel: ModelUsageDto[];
  @ApiProperty({ type: [GroupUsageDto] }) byGroup: GroupUsageDto[];
  @ApiProperty({ type: [KeyUsageDto], description: 'By upstream key' }) byKey: KeyUsageDto[];
  @ApiProperty({ type: [ProxyKeyUsageDto] }) byProxyKey: ProxyKeyUsageDto[];
}

export class UsagePointDto extends UsageTotalsDto {
  @ApiProperty({ description: 'Start of the UTC hour or day' }) start: string;
}

export class UsageSeriesDto {
  @ApiProperty({
    description: '`all`, the model, `group:<id>`, `key:<groupId>:<keyId>` or `proxyKey:<id>`',
  })
  key: string;
  @ApiPropertyOptional() model?: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) groupId?: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) groupName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) upstreamKeyId?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) proxyKeyId?: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) proxyKeyName?: string | null;
  @ApiProperty({ type: [UsagePointDto], description: 'Buckets with traffic only, oldest first' })
  points: UsagePointDto[];
}

export class TimeseriesDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ enum: ['hour', 'day'] }) bucket: string;
  @ApiPropertyOptional({ enum: ['model', 'group', 'key', 'proxyKey'] }) groupBy?: string;
  @ApiProperty({ type: [UsageSeriesDto] }) series: UsageSeriesDto[];
}

export class ProxyKeyUsageSummaryDto {
  @ApiProperty() proxyKeyId: number;
  @ApiProperty({ description: 'Every token the key has spent (what its token budget counts)' })
  tokensUsed: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Newest request log of the key; null when none is kept',
  })
  lastUsedAt: string | null;
}
