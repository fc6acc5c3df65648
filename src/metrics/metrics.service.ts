import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { BreakerState } from '../key-health/circuit-breaker.js';
import { BoundedLabel } from './bounded-label.js';
import { RequestMetrics } from './request-metrics.js';

const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** What one client request contributes to the request metrics (a usage record fits). */
export interface ObservedRequest {
  readonly model: string;
  readonly groupName?: string;
  readonly status: number;
  readonly latencyMs: number;
  readonly ttfbMs?: number;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
}

const MAX_MODEL_LABELS = 200;
const MAX_GROUP_LABELS = 200;

/**
 * The Prometheus registry (own instance, so several apps in one process never collide) and the
 * cheap, synchronous hooks the proxy, the usage recorder and the health module call. Label values
 * are group names, model names, status codes and masked keys only: never raw keys or request ids.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly models = new BoundedLabel(MAX_MODEL_LABELS);
  private readonly groups = new BoundedLabel(MAX_GROUP_LABELS);
  private usageQueueDepth: () => number = () => 0;
  private rateLimitBackend: () => 'redis' | 'memory' = () => 'memory';
  private readonly requestMetrics = new RequestMetrics();

  private readonly attempts = this.counter(
    'switchyard_upstream_attempts_total',
    'Upstream attempts by outcome',
    ['group', 'outcome'],
  );
  private readonly backendHealth = this.gauge('backend_health', 'Backend health status (1 up, 0 down)', [
    'backend',
    'model',
  ]);
  private readonly backendResponseTime = this.gauge(
    'backend_response_time_seconds',
    'Backend response time of the last check',
    ['backend', 'model'],
  );
  private readonly breakerState = this.gauge(
    'circuit_breaker_state',
    'Circuit breaker state (0 closed, 1 half-open, 2 open)',
    ['group', 'key'],
  );
  private readonly consecutiveFailures = this.gauge(
    'consecutive_failures',
    'Consecutive failures of an upstream key',
    ['group', 'key'],
  );
  private readonly usageDropped = this.counter(
    'switchyard_usage_dropped_total',
    'Usage records dropped (queue full, or refused by the database)',
    ['reason'],
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.requestMetrics.register(this.registry);
    const depth = () => this.usageQueueDepth();
    new Gauge({
      name: 'switchyard_usage_queue_depth',
      help: 'Usage records waiting to be written',
      registers: [this.registry],
      collect() {
        this.set(depth());
      },
    });
    const backend = () => this.rateLimitBackend();
    new Gauge({
      name: 'switchyard_rate_limit_backend',
      help: 'Where proxy-key limits are counted (1 for the one in use): redis, shared by the replicas, or memory, this replica alone',
      labelNames: ['backend'],
      registers: [this.registry],
      collect() {
        const current = backend();
        for (const name of ['redis', 'memory']) this.set({ backend: name }, name === current ? 1 : 0);
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Once per client request (the UsageRecorder calls it on push). */
  observeRequest(record: ObservedRequest): void {
    const routed = record.groupName !== undefined;
    this.requestMetrics.observe({
      // An unrouted request's model is whatever the client typed: keep it out of the labels.
      model: routed ? this.models.value(record.model) : 'unrouted',
      group: routed ? this.groups.value(record.groupName) : 'none',
      status: record.status,
      seconds: record.latencyMs / 1000,
      ttfbSeconds: record.ttfbMs === undefined ? undefined : record.ttfbMs / 1000,
      promptTokens: record.promptTokens ?? 0,
      completionTokens: record.completionTokens ?? 0,
    });
  }

  /** `outcome`: a small fixed set chosen by the proxy (e.g. success, rate_limited, server_error, timeout). */
  countAttempt(group: string, outcome: string): void {
    this.attempts.inc({ group: this.groups.value(group), outcome });
  }

  setBackendHealth(backend: string, model: string, up: boolean): void {
    this.backendHealth.set({ backend, model }, up ? 1 : 0);
  }

  observeBackendResponseTime(backend: string, model: string, seconds: number): void {
    this.backendResponseTime.set({ backend, model }, seconds);
  }

  /** `key`: the masked key or its id, never the secret. */
  setBreakerState(group: string, key: string, state: BreakerState): void {
    this.breakerState.set({ group, key }, BREAKER_STATE_VALUE[state]);
  }

  setConsecutiveFailures(group: string, key: string, failures: number): void {
    this.consecutiveFailures.set({ group, key }, failures);
  }

  trackRateLimitBackend(backend: () => 'redis' | 'memory'): void {
    this.rateLimitBackend = backend;
  }

  trackUsageQueue(depth: () => number): void {
    this.usageQueueDepth = depth;
  }

  countUsageDropped(count: number, reason: 'queue_full' | 'refused'): void {
    this.usageDropped.inc({ reason }, count);
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
