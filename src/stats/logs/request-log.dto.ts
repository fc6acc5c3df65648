import { ApiProperty } from '@nestjs/swagger';

/** A request log row as listed (bodies only in the single-row view). */
export class RequestLogDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: '2025-01-01T12:00:00.000Z' }) createdAt: Date;
  @ApiProperty() requestId: string;
  @ApiProperty({ example: '/v1/chat/completions' }) endpoint: string;
  @ApiProperty({ nullable: true, type: Number }) proxyKeyId: number | null;
  @ApiProperty({ nullable: true, type: String }) proxyKeyName: string | null;
  @ApiProperty({ description: 'The model the client asked for' }) model: string;
  @ApiProperty({ nullable: true, type: String, description: 'The model sent upstream' }) upstreamModel:
    string | null;
  @ApiProperty({ nullable: true, type: Number }) groupId: number | null;
  @ApiProperty({ nullable: true, type: String }) groupName: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Id of the upstream key used (never the key)' })
  upstreamKeyId: number | null;
  @ApiProperty({ description: 'The request named its backend' }) pinned: boolean;
  @ApiProperty() stream: boolean;
  @ApiProperty({ description: 'Status the client got (499: the client went away)' }) status: number;
  @ApiProperty({ nullable: true, type: String }) errorType: string | null;
  @ApiProperty({ nullable: true, type: String, description: '≤ 500 characters, secrets redacted' })
  errorMessage: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty() latencyMs: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Time to first byte' }) ttfbMs: number | null;
  @ApiProperty({ nullable: true, type: Number }) promptTokens: number | null;
  @ApiProperty({ nullable: true, type: Number }) completionTokens: number | null;
  @ApiProperty({ nullable: true, type: Number }) totalTokens: number | null;
  @ApiProperty({ nullable: true, type: String }) clientIp: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent: string | null;
}

export class RequestLogDetailDto extends RequestLogDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'With detailed logging: redacted, cut at maxContentLength',
  })
  requestBody: string | null;
  @ApiProperty({ nullable: true, type: String }) responseBody: string | null;
}

export class RequestLogPageDto {
  @ApiProperty({ type: [RequestLogDto] }) items: RequestLogDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
