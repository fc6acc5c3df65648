import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Column widths, shared with the row builder so an over-long value is cut, never refused. */
export const REQUEST_LOG_LIMITS = {
  requestId: 128,
  endpoint: 64,
  name: 128,
  model: 200,
  errorType: 64,
  errorMessage: 500,
  clientIp: 64,
  userAgent: 300,
} as const;

/** One row per proxied client request (whatever the number of attempts). */
@Entity('request_logs')
@Index('IDX_request_logs_created_at', ['createdAt'])
@Index('IDX_request_logs_proxy_key_id', ['proxyKeyId'])
@Index('IDX_request_logs_group_id', ['groupId'])
@Index('IDX_request_logs_model', ['model'])
@Index('IDX_request_logs_request_id', ['requestId'])
export class RequestLog {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'request_id', type: 'varchar', length: REQUEST_LOG_LIMITS.requestId })
  requestId: string;

  @Column({ type: 'varchar', length: REQUEST_LOG_LIMITS.endpoint })
  endpoint: string;

  @Column({ name: 'proxy_key_id', type: 'integer', nullable: true })
  proxyKeyId: number | null;

  @Column({ name: 'proxy_key_name', type: 'varchar', length: REQUEST_LOG_LIMITS.name, nullable: true })
  proxyKeyName: string | null;

  @Column({ type: 'varchar', length: REQUEST_LOG_LIMITS.model })
  model: string;

  @Column({ name: 'upstream_model', type: 'varchar', length: REQUEST_LOG_LIMITS.model, nullable: true })
  upstreamModel: string | null;

  @Column({ name: 'group_id', type: 'integer', nullable: true })
  groupId: number | null;

  @Column({ name: 'group_name', type: 'varchar', length: REQUEST_LOG_LIMITS.name, nullable: true })
  groupName: string | null;

  @Column({ name: 'upstream_key_id', type: 'integer', nullable: true })
  upstreamKeyId: number | null;

  @Column({ type: 'boolean' })
  pinned: boolean;

  @Column({ type: 'boolean' })
  stream: boolean;

  @Column({ type: 'integer' })
  status: number;

  @Column({ name: 'error_type', type: 'varchar', length: REQUEST_LOG_LIMITS.errorType, nullable: true })
  errorType: string | null;

  @Column({ name: 'error_message', type: 'varchar', length: REQUEST_LOG_LIMITS.errorMessage, nullable: true })
  errorMessage: string | null;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs: number;

  @Column({ name: 'ttfb_ms', type: 'integer', nullable: true })
  ttfbMs: number | null;

  @Column({ name: 'prompt_tokens', type: 'integer', nullable: true })
  promptTokens: number | null;

  @Column({ name: 'completion_tokens', type: 'integer', nullable: true })
  completionTokens: number | null;

  @Column({ name: 'total_tokens', type: 'integer', nullable: true })
  totalTokens: number | null;

  @Column({ name: 'client_ip', type: 'varchar', length: REQUEST_LOG_LIMITS.clientIp, nullable: true })
  clientIp: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: REQUEST_LOG_LIMITS.userAgent, nullable: true })
  userAgent: string | null;

  @Column({ name: 'request_body', type: 'text', nullable: true })
  requestBody: string | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;
}
