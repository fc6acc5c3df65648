// The admin and health APIs' shapes, as the gateway sends them (see /swagger).

export interface Status {
  version: string;
  uptimeSeconds: number;
  database: { type: string; reachable: boolean };
  redis: { configured: boolean };
  groups: HealthCounts;
  keys: HealthCounts;
  last24h: {
    requests: number | null;
    successRate: number | null;
    latencyP50Ms: number | null;
    latencyP95Ms: number | null;
  };
  usageQueueDepth: number;
  memory: { rssBytes: number; heapUsedBytes: number };
  eventLoopLag: { meanMs: number | null; p99Ms: number | null; maxMs: number | null };
}

export interface HealthCounts {
  total: number;
  healthy: number;
  recovering: number;
  unhealthy: number;
}

export interface UsageTotals {
  requests: number;
  successes: number;
  failures: number;
  successRate: number | null;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  avgLatencyMs: number | null;
}

export interface StatsOverview {
  range: string;
  from: string;
  to: string;
  totals: UsageTotals;
  latency: { p50Ms: number | null; p95Ms: number | null };
  byModel: Array<UsageTotals & { model: string }>;
  byGroup: Array<UsageTotals & { groupId: number | null; groupName: string | null }>;
  byKey: Array<
    UsageTotals & { groupId: number | null; groupName: string | null; upstreamKeyId: number | null }
  >;
  byProxyKey: Array<UsageTotals & { proxyKeyId: number | null; proxyKeyName: string | null }>;
}

export interface UsageSeries {
  key: string;
  model?: string;
  groupId?: number | null;
  groupName?: string | null;
  upstreamKeyId?: number | null;
  proxyKeyId?: number | null;
  proxyKeyName?: string | null;
  points: Array<UsageTotals & { start: string }>;
}

export interface Timeseries {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  groupBy?: 'model' | 'group' | 'key' | 'proxyKey';
  series: UsageSeries[];
}

export type HealthStatus = 'healthy' | 'recovering' | 'unhealthy' | 'disabled';
export type RoutabilityReason =
  | 'ok'
  | 'breaker_open'
  | 'half_open'
  | 'cooling_down_429'
  | 'invalid_credentials'
  | 'unhealthy_by_checks'
  | 'disabled'
  | 'group_disabled';

export interface UpstreamKeyView {
  id: number;
  masked: string;
  enabled: boolean;
  weight: number;
  usable: boolean;
  health: { status: HealthStatus; reason: RoutabilityReason; availableAt: string | null };
}

export const PROVIDER_TYPES = ['openai', 'anthropic', 'gemini', 'azure', 'openai-compatible'] as const;
export const BALANCE_POLICIES = ['round_robin', 'random', 'least_used', 'weighted', 'latency'] as const;

export interface GroupView {
  id: number;
  groupName: string;
  providerType: (typeof PROVIDER_TYPES)[number];
  baseUrl: string;
  models: string[];
  modelMap: Record<string, string>;
  balancePolicy: (typeof BALANCE_POLICIES)[number];
  retryCount: number;
  timeout: number;
  priority: number;
  weight: number;
  enabled: boolean;
  parameters: Record<string, unknown>;
  headers: Record<string, string>;
  probe: { kind: 'models' | 'chat'; model?: string };
  apiVersion?: string;
  keys: UpstreamKeyView[];
}

export interface GroupTest {
  groupId: number;
  groupName: string;
  ok: boolean;
  results: Array<{
    keyId: number;
    masked: string;
    ok: boolean;
    status: number | null;
    latencyMs: number | null;
    error: string | null;
  }>;
}

export interface ProxyKeyView {
  id: number;
  name: string;
  description: string | null;
  keyPrefix: string;
  rpm: number | null;
  tpm: number | null;
  enabled: boolean;
  expiresAt: string | null;
  expired: boolean;
  allowedModels: string[];
  allowedGroups: string[];
  tokenBudget: number | null;
  createdAt: string;
  updatedAt: string;
  /** Added by the Proxy keys page from GET /admin/stats/proxy-keys (see key-usage.ts). */
  tokensUsed?: number;
  lastUsedAt?: string | null;
}

export interface CreatedProxyKey extends ProxyKeyView {
  key: string;
}

export interface RequestLog {
  id: number;
  createdAt: string;
  requestId: string;
  endpoint: string;
  proxyKeyId: number | null;
  proxyKeyName: string | null;
  model: string;
  upstreamModel: string | null;
  groupId: number | null;
  groupName: string | null;
  upstreamKeyId: number | null;
  pinned: boolean;
  stream: boolean;
  status: number;
  errorType: string | null;
  errorMessage: string | null;
  attempts: number;
  latencyMs: number;
  ttfbMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  clientIp: string | null;
  userAgent: string | null;
}

export interface RequestLogDetail extends RequestLog {
  requestBody: string | null;
  responseBody: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

interface HealthFields {
  status: HealthStatus;
  is_healthy: boolean;
  error_count: number;
  consecutive_successes: number;
  consecutive_failures: number;
  last_error: string | null;
  last_status_code: number | null;
  last_check_at: string | null;
  next_retry_at: string | null;
  success_rate_24h: number | null;
  total_requests_24h: number;
}

export interface KeyHealth extends HealthFields {
  id: number;
  masked: string;
  enabled: boolean;
  available: boolean;
  reason: RoutabilityReason;
  available_at: string | null;
  breaker_state: 'closed' | 'open' | 'half_open';
  last_success_at: string | null;
}

export interface ProviderHealth extends HealthFields {
  provider_id: number;
  provider_name: string;
  keys: KeyHealth[];
}

export interface HealthCheckConfig {
  enabled: boolean;
  interval_minutes: number;
  max_error_count: number;
  retry_after_hours: number;
}

export interface FailoverEvent {
  id: number;
  at: string;
  groupId: number;
  groupName: string;
  keyId: number;
  keyMasked: string;
  type: string;
  from: string;
  to: string;
  reason: string;
  statusCode: number | null;
  error: string | null;
  consecutiveFailures: number;
  nextRetrySeconds: number | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  changes: Record<string, unknown>;
}

export interface RequestLoggingSettings {
  enabled: boolean;
  detailedContent: boolean;
  maxContentLength: number;
  retentionDays: number;
}

export interface AlertWebhook {
  url: string;
  events: Array<'unhealthy' | 'recovered'>;
}

export interface Settings {
  requestLogging?: RequestLoggingSettings;
  alerts?: { webhooks: AlertWebhook[] };
  [section: string]: unknown;
}

export interface AlertTestResult {
  results: Array<{
    index: number;
    host: string;
    ok: boolean;
    status: number | null;
    error: string | null;
    latencyMs: number;
  }>;
}
