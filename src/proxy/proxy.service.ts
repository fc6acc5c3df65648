import { Injectable, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AbortLatch, sleepUnlessCancelled } from '../common/abort-latch.js';
import { describeError } from '../common/describe-error.js';
import { AppConfig } from '../config/app-config.js';
import { HealthState } from '../key-health/health-state.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { RoutableGroup, RoutingSnapshot } from '../routing/routing-snapshot.js';
import { adapterFor } from '../upstream/adapter-registry.js';
import { UpstreamClient, UpstreamDeadlines } from '../upstream/upstream-client.js';
import { classifyAttempt } from '../upstream/upstream-error.js';
import { AttemptFailure, AttemptResult, failedAttempt, toHealthOutcome } from './attempt-result.js';
import { Attempt, CandidatePlanner } from './candidates.js';
import { sendProxyError } from './client-response.js';
import { ProxyError } from './proxy-error.js';
import type { ProxyRequest } from './proxy-request.js';
import { upstreamBodyFor } from './proxy-request.js';
import { relayClientError, relayJson } from './relay-json.js';
import { relayStream } from './relay-stream.js';
import type { RequestTrace } from './request-trace.js';

const CONNECT_TIMEOUT_MS = 10_000;
const SUCCESS = toHealthOutcome(classifyAttempt({ status: 200 }));
const STREAM_IDLE_TIMEOUT_MS = 30_000;

/** One admitted client request on its way upstream. */
export interface ProxyCall {
  readonly request: ProxyRequest;
  readonly groups: readonly RoutableGroup[];
  readonly snapshot: RoutingSnapshot;
  readonly res: ServerResponse;
  /** Aborts when the client goes away. */
  readonly signal: AbortLatch;
  /** Sent with every answer (request id, rate-limit headers). */
  readonly headers: Record<string, string>;
  readonly trace: RequestTrace;
}

/**
 * The failover loop (ROUTING.md): walk the candidate plan, one attempt at a time, until an answer
 * reaches the client or the plan runs out; classify every failed attempt, feed the breakers, and
 * answer with the gateway's own status when nothing worked.
 */
@Injectable()
export class ProxyService {
  private readonly logger = new Logger(ProxyService.name);
  private readonly maxRetryAfterWaitMs: number;
  private readonly traceRouting: boolean;

  constructor(
    private readonly planner: CandidatePlanner,
    private readonly health: HealthState,
    private readonly client: UpstreamClient,
    private readonly metrics: MetricsService,
    config: AppConfig,
  ) {
    this.maxRetryAfterWaitMs = config.breaker.maxRetryAfterWaitMs;
    // Routing decisions are logged at debug; the check spares building the lines otherwise.
    this.traceRouting = config.logLevel === 'debug' || config.logLevel === 'trace';
  }

  async execute(call: ProxyCall): Promise<void> {
    const plan = this.planner.plan(call.groups, { sessionId: call.request.sessionId });
    let lastFailure: AttemptFailure | undefined;
    let waitedForRetryAfter = false;
    for (;;) {
      const attempt = plan.next();
      if (!attempt) {
        const wait =
          lastFailure?.outcome.kind === 'rate_limited' && !waitedForRetryAfter
            ? this.retryAfterWait(lastFailure)
            : undefined;
        if (wait === undefined) break;
        waitedForRetryAfter = true;
        await sleepUnlessCancelled(wait, call.signal);
        if (call.signal.aborted) return;
        plan.restart();
        continue;
      }
      call.trace.attempts = plan.attempts;
      const result = await this.tryAttempt(call, attempt);
      if (result.answered) return;
      lastFailure = result.failure;
      if (lastFailure?.outcome.differentKey) plan.avoid(attempt.key.id);
      if (call.signal.aborted) return;
    }
    this.answerFailure(call, lastFailure);
  }

  private async tryAttempt(call: ProxyCall, attempt: Attempt): Promise<AttemptResult> {
    const { request, res, trace } = call;
    const { group, key, permit } = attempt;
    const adapter = adapterFor(group.providerType);
    const upstreamModel = call.snapshot.upstreamModel(group, request.model);
    const spec = adapter.buildRequest(
      request.endpoint,
      upstreamBodyFor(request, upstreamModel, group.parameters),
      {
        baseUrl: group.baseUrl,
        apiKey: key.secret,
        headers: group.headers,
        apiVersion: group.apiVersion,
      },
    );
    trace.answeredBy(group, key, upstreamModel);
    if (this.traceRouting)
      this.logger.debug(
        `${trace.attempts}. ${request.model} → ${group.name}/${key.masked}${attempt.failOpen ? ' (fail-open)' : ''}`,
      );
    const started = performance.now();
    const headers = {
      ...call.headers,
      'x-switchyard-backend': group.name,
      'x-switchyard-attempts': String(trace.attempts),
    };

    let result: AttemptResult;
    let success = false;
    try {
      const upstream = await this.client.send(spec, deadlinesFor(group, request.stream), call.signal);
      const outcome = classifyAttempt({
        status: upstream.status,
        retryAfterHeader: upstream.headers['retry-after'],
        retryAfterMsHeader: upstream.headers['retry-after-ms'],
      });
      if (outcome.kind === 'success') {
        result = request.stream
          ? await relayStream(res, upstream, adapter, !request.clientWantsStreamUsage, headers, trace)
          : await relayJson(res, upstream, adapter, request.endpoint, headers, trace);
        success = !result.failure;
      } else if (!outcome.retryable) {
        this.health.end(permit); // the request is wrong, not the key
        this.metrics.countAttempt(group.name, outcome.kind);
        return await relayClientError(res, upstream, headers, trace);
      } else {
        const text = await upstream.text().catch(() => '');
        result = failedAttempt(outcome, `upstream answered ${upstream.status}: ${text}`, upstream.status);
      }
    } catch (error) {
      if (call.signal.aborted || res.destroyed) {
        this.health.end(permit); // the client left; says nothing about the key
        trace.failed(499, 'client_closed_request', 'the client closed the connection');
        return { answered: true };
      }
      result = failedAttempt(classifyAttempt({ error }), describeError(error));
    }
    const latencyMs =
      request.stream && trace.ttfbMs !== undefined
        ? trace.ttfbMs - (started - trace.startedAt)
        : performance.now() - started;
    const failure = result.failure;
    this.metrics.countAttempt(group.name, failure ? failure.outcome.kind : 'success');
    this.health.end(
      permit,
      failure ? toHealthOutcome(failure.outcome, failure.status, failure.message) : SUCCESS,
      latencyMs,
    );
    if (failure && this.traceRouting)
      this.logger.debug(
        `attempt ${trace.attempts} on ${group.name}/${key.masked} failed: ${failure.outcome.kind} ${failure.message}`,
      );
    return success || result.answered ? { answered: true, failure } : result;
  }

  private retryAfterWait(failure: AttemptFailure): number | undefined {
    const wanted = failure.outcome.retryAfterMs ?? 0;
    return wanted <= this.maxRetryAfterWaitMs ? wanted : undefined;
  }

  private answerFailure(call: ProxyCall, failure: AttemptFailure | undefined): void {
    const { trace } = call;
    const headers = { ...call.headers, 'x-switchyard-attempts': String(trace.attempts) };
    let error: ProxyError;
    if (!failure) {
      error = new ProxyError(
        'no_healthy_backend',
        `No healthy backend could be tried for the model "${call.request.model}".`,
      );
    } else if (failure.outcome.kind === 'rate_limited') {
      const seconds = Math.max(1, Math.ceil((failure.outcome.retryAfterMs ?? 1000) / 1000));
      error = new ProxyError(
        'upstream_rate_limited',
        `Every upstream for "${call.request.model}" is rate limited; retry in ${seconds}s.`,
        { 'retry-after': String(seconds) },
      );
    } else if (failure.outcome.kind === 'timeout') {
      error = new ProxyError(
        'upstream_timeout',
        `The upstream timed out after ${trace.attempts} attempt(s).`,
      );
    } else {
      error = new ProxyError(
        'upstream_failed',
        `All ${trace.attempts} attempt(s) failed upstream; last: ${failure.outcome.kind}${failure.status ? ` ${failure.status}` : ''}.`,
      );
    }
    trace.failed(error.status, error.code, failure?.message ?? error.message);
    sendProxyError(call.res, error, headers);
  }
}

function deadlinesFor(group: RoutableGroup, stream: boolean): UpstreamDeadlines {
  const totalMs = group.timeoutSeconds * 1000;
  return {
    connectMs: Math.min(CONNECT_TIMEOUT_MS, totalMs),
    firstByteMs: totalMs,
    idleMs: stream ? Math.min(STREAM_IDLE_TIMEOUT_MS, totalMs) : totalMs,
    totalMs,
  };
}
