import { Injectable, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AbortLatch, sleepUnlessCancelled } from '../common/abort-latch.js';
import { describeError } from '../common/describe-error.js';
import { AppConfig } from '../config/app-config.js';
import { HealthState } from '../key-health/health-state.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { RoutableGroup, RoutingSnapshot } from '../routing/routing-snapshot.js';
import { UntranslatableRequestError } from '../upstream/adapter.js';
import { adapterFor } from '../upstream/adapter-registry.js';
import { UpstreamClient, UpstreamDeadlines, type UpstreamResponse } from '../upstream/upstream-client.js';
import {
  AttemptKind,
  classifyAttempt,
  INTERNAL_OUTCOME,
  UpstreamResponseTooLargeError,
} from '../upstream/upstream-error.js';
import { classifyReply } from '../upstream/upstream-reply.js';
import { LifecycleService } from '../common/lifecycle.service.js';
import {
  AttemptFailure,
  attemptFailure,
  AttemptReport,
  failedAttempt,
  toKeyOutcome,
} from './attempt-report.js';
import { adapterForRequest } from './adapter-for-request.js';
import { Attempt, CandidatePlanner } from './candidates.js';
import { errorFormatOf, sendProxyError } from './client-response.js';
import { ProxyError } from './proxy-error.js';
import type { ProxyRequest } from './proxy-request.js';
import { upstreamBodyFor } from './proxy-request.js';
import { answerTooLarge, relayClientError, relayJson } from './relay-json.js';
import { relayStream } from './relay-stream.js';
import type { RequestTrace } from './request-trace.js';

const CONNECT_TIMEOUT_MS = 10_000;
const SUCCESS = toKeyOutcome(classifyAttempt({ status: 200 }));
/**
 * The most one stream event may hold before it is complete. Real events are small; the parser
 * re-reads its pending text on every chunk, so a cap well under the body limit also bounds the CPU.
 */
const MAX_STREAM_EVENT_BYTES = 8 * 1024 * 1024;

/** Where an attempt was when something threw: only the upstream call's errors are the upstream's. */
interface AttemptProgress {
  phase: 'prepare' | 'upstream' | 'relay';
}

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
  private readonly maxRetryAfterSeconds: number;
  private readonly maxEventChars: number;
  private readonly streamMaxMs: number;
  private readonly traceRouting: boolean;

  constructor(
    private readonly planner: CandidatePlanner,
    private readonly health: HealthState,
    private readonly client: UpstreamClient,
    private readonly metrics: MetricsService,
    private readonly lifecycle: LifecycleService,
    config: AppConfig,
  ) {
    this.maxRetryAfterWaitMs = config.breaker.maxRetryAfterWaitMs;
    this.maxRetryAfterSeconds = Math.max(1, Math.ceil(config.breaker.maxRateLimitCooldownMs / 1000));
    this.maxEventChars = Math.min(config.upstreamMaxResponseBytes, MAX_STREAM_EVENT_BYTES);
    this.streamMaxMs = config.streamMaxDurationMs;
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
      const report = await this.tryAttempt(call, attempt);
      if (report.answered) return;
      lastFailure = report.failure;
      if (lastFailure?.outcome.differentKey) plan.avoid(attempt.key.id);
      if (call.signal.aborted) return;
    }
    this.answerFailure(call, lastFailure);
  }

  /**
   * One attempt, start to end. Whatever happens inside (the adapter, serialisation, the relay
   * throwing), its report is recorded in the trace and the permit is given back exactly once, in
   * the `finally`, with what the attempt says about the key.
   */
  private async tryAttempt(call: ProxyCall, attempt: Attempt): Promise<AttemptReport> {
    const started = performance.now();
    let report: AttemptReport | undefined;
    let observed: AttemptKind | undefined;
    const progress: AttemptProgress = { phase: 'prepare' };
    try {
      const run = await this.runAttempt(call, attempt, progress);
      observed = run.observed;
      report = run.report;
    } catch (error) {
      // The provider cannot express this request: the client's to fix, and no key is at fault.
      if (error instanceof UntranslatableRequestError) throw untranslatable(attempt.group, error);
      report = this.attemptThrew(call, error, progress);
      observed = report.failure?.outcome.kind;
    } finally {
      if (report) recordInTrace(call.trace, report);
      this.settle(call, attempt, report, observed, started);
    }
    return report;
  }

  /** The attempt proper; the relays report what happened, nothing here touches the trace or the permit. */
  private async runAttempt(
    call: ProxyCall,
    attempt: Attempt,
    progress: AttemptProgress,
  ): Promise<{ report: AttemptReport; observed: AttemptKind | undefined }> {
    const { request, res, trace } = call;
    const { group, key } = attempt;
    const upstreamModel = call.snapshot.upstreamModel(group, request.model);
    trace.routedTo(group, key, upstreamModel);
    if (this.traceRouting)
      this.logger.debug(
        `${trace.attempts}. ${request.model} → ${group.name}/${key.masked}${attempt.failOpen ? ' (fail-open)' : ''}`,
      );
    // Candidates were filtered to the groups that serve the endpoint (serving-groups.ts).
    const adapter = adapterForRequest(group.providerType, request.endpoint) ?? adapterFor(group.providerType);
    const body = upstreamBodyFor(request, upstreamModel, group.parameters);
    const spec = adapter.buildRequest(
      request.endpoint,
      body,
      { baseUrl: group.baseUrl, apiKey: key.secret, headers: group.headers, apiVersion: group.apiVersion },
      request.headers,
    );
    const headers = {
      ...call.headers,
      'x-switchyard-backend': group.name,
      'x-switchyard-attempts': String(trace.attempts),
    };
    progress.phase = 'upstream';
    const upstream = await this.client.send(
      spec,
      deadlinesFor(group, request.stream, this.streamMaxMs),
      call.signal,
    );
    progress.phase = 'relay';
    if (upstream.status >= 200 && upstream.status < 300) {
      const report = request.stream
        ? await relayStream(res, upstream, adapter, {
            stripUsageOnlyChunk: !request.clientWantsStreamUsage,
            headers,
            redactor: trace.redactor,
            maxEventChars: this.maxEventChars,
            shutdown: this.lifecycle.graceOver,
            request: body,
            endpoint: request.endpoint,
          })
        : await relayJson(res, upstream, adapter, request.endpoint, headers, trace.redactor, body);
      return {
        report,
        observed: report.clientGone ? undefined : (report.failure?.outcome.kind ?? 'success'),
      };
    }
    // A failed reply is read (bounded) before it is judged: providers put their signals in the body.
    const reply = await readFailedReply(upstream);
    const verdict = classifyReply(adapter, request.endpoint, upstream.status, upstream.headers, reply.text);
    const { outcome } = verdict;
    if (!outcome.retryable) {
      // The request is wrong, not the key.
      const format = errorFormatOf(request.endpoint);
      const report = reply.tooLarge
        ? answerTooLarge(res, reply.tooLarge, headers, trace.redactor, format)
        : relayClientError(res, upstream.status, verdict, headers, trace.redactor, format);
      return { report, observed: report.failure?.outcome.kind ?? outcome.kind };
    }
    const report = failedAttempt(
      outcome,
      `upstream answered ${upstream.status}: ${reply.text}`,
      trace.redactor,
      upstream.status,
    );
    return { report, observed: outcome.kind };
  }

  /** An exception out of the attempt: the client left, the upstream call failed, or a fault of ours. */
  private attemptThrew(call: ProxyCall, error: unknown, progress: AttemptProgress): AttemptReport {
    const { res, trace } = call;
    // The client left: says nothing about the key.
    if (call.signal.aborted || res.destroyed) return { answered: true, keyNeutral: true, clientGone: true };
    if (progress.phase !== 'upstream') {
      // Not the upstream's doing: a bug or a serialisation failure of ours. Logged, counted as a
      // 500, and another candidate may still answer while nothing has reached the client.
      const message = trace.redactor.redact(describeError(error));
      this.logger.error({
        msg: 'attempt failed inside the gateway',
        attempt: trace.attempts,
        error: message,
      });
      const failure = attemptFailure(INTERNAL_OUTCOME, `internal error: ${message}`, trace.redactor, 500);
      if (!res.headersSent) return { answered: false, failure, keyNeutral: true };
      if (!res.writableEnded) res.destroy();
      return {
        answered: true,
        failure,
        keyNeutral: true,
        status: 500,
        clientError: { type: 'internal_error', message: failure.message },
      };
    }
    return failedAttempt(classifyAttempt({ error }), describeError(error), trace.redactor);
  }

  /** Records the attempt (metrics, key health) and releases its permit: called once, from `finally`. */
  private settle(
    call: ProxyCall,
    attempt: Attempt,
    report: AttemptReport | undefined,
    observed: AttemptKind | undefined,
    started: number,
  ): void {
    const { trace } = call;
    const { group, key, permit } = attempt;
    const failure = report?.failure;
    if (report === undefined || report.keyNeutral) {
      this.health.end(permit);
      if (observed !== undefined && observed !== 'client_abort')
        this.metrics.countAttempt(group.name, observed);
      return;
    }
    // A stream's latency is its time to first byte; anything else, the whole attempt.
    const latencyMs = (report.firstByteAt ?? performance.now()) - started;
    this.metrics.countAttempt(group.name, failure ? failure.outcome.kind : 'success');
    this.health.end(
      permit,
      failure ? toKeyOutcome(failure.outcome, failure.status, failure.message) : SUCCESS,
      latencyMs,
    );
    if (failure && this.traceRouting)
      this.logger.debug(
        `attempt ${trace.attempts} on ${group.name}/${key.masked} failed: ${failure.outcome.kind} ${failure.message}`,
      );
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
    } else if (failure.outcome.kind === 'internal') {
      error = new ProxyError('internal_error', `Internal error; request id ${call.headers['x-request-id']}.`);
    } else if (failure.outcome.kind === 'rate_limited') {
      const seconds = retryAfterSeconds(failure.outcome.retryAfterMs, this.maxRetryAfterSeconds);
      error = new ProxyError(
        'upstream_rate_limited',
        `Every upstream for "${call.request.model}" is rate limited; retry in ${seconds}s.`,
        { 'retry-after': String(seconds) },
      );
    } else if (failure.outcome.kind === 'timeout') {
      error = new ProxyError(
        'upstream_timeout',
        `The upstream timed out after ${trace.attempts} attempt(s).${seeLogs(call)}`,
      );
    } else {
      const last = failure.outcome.failureClass ?? failure.outcome.kind;
      error = new ProxyError(
        'upstream_failed',
        `All ${trace.attempts} attempt(s) failed upstream; last: ${last}${failure.status ? ` ${failure.status}` : ''}.${seeLogs(call)}`,
      );
    }
    trace.failed(error.status, error.code, failure?.message ?? error.message);
    sendProxyError(call.res, error, headers, errorFormatOf(call.request.endpoint));
  }
}

/** Writes one attempt's report into the request's trace: the one place the relays' results land. */
function recordInTrace(trace: RequestTrace, report: AttemptReport): void {
  if ('usage' in report) trace.usage = report.usage;
  if (report.firstByteAt !== undefined) trace.ttfbMs = report.firstByteAt - trace.startedAt;
  if (report.body !== undefined) trace.captureResponse(report.body);
  if (report.clientGone) trace.failed(499, 'client_closed_request', 'the client closed the connection');
  else if (report.clientError)
    trace.failed(report.status ?? 502, report.clientError.type, report.clientError.message);
  else if (report.status !== undefined) trace.status = report.status;
}

interface FailedReply {
  readonly text: string;
  /** The body passed UPSTREAM_MAX_RESPONSE_BYTES; `text` is then empty. */
  readonly tooLarge?: UpstreamResponseTooLargeError;
}

async function readFailedReply(upstream: UpstreamResponse): Promise<FailedReply> {
  try {
    return { text: await upstream.text() };
  } catch (error) {
    if (error instanceof UpstreamResponseTooLargeError) return { text: '', tooLarge: error };
    return { text: '(body unreadable)' };
  }
}

function untranslatable(group: RoutableGroup, error: UntranslatableRequestError): ProxyError {
  return new ProxyError(
    'invalid_request',
    `Invalid request for ${group.providerType}: ${error.message}.`,
    {},
    error.param,
  );
}

/** Where an operator finds the rest (the upstream's own words, which key): never hosts or keys here. */
function seeLogs(call: ProxyCall): string {
  const id = call.headers['x-request-id'];
  return id ? ` Request id ${id}: GET /admin/logs?requestId=${id} has the details.` : '';
}

/**
 * The group's `timeout` bounds the wait for the first byte and every gap between chunks; a
 * non-stream answer must also be complete within it. A healthy stream may run as long as it
 * streams, up to STREAM_MAX_DURATION_SECONDS when set (a cut the key is not blamed for).
 */
export function deadlinesFor(group: RoutableGroup, stream: boolean, streamMaxMs: number): UpstreamDeadlines {
  const timeoutMs = group.timeoutSeconds * 1000;
  return {
    connectMs: Math.min(CONNECT_TIMEOUT_MS, timeoutMs),
    firstByteMs: timeoutMs,
    idleMs: timeoutMs,
    totalMs: stream ? streamMaxMs : timeoutMs,
  };
}

/** The `Retry-After` the client is told: whole seconds, at least 1, at most the cooldown cap. */
export function retryAfterSeconds(retryAfterMs: number | undefined, maxSeconds: number): number {
  const seconds = Math.ceil((retryAfterMs ?? 1000) / 1000);
  return Math.max(1, Math.min(seconds, maxSeconds));
}
