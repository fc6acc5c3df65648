import { Inject, Injectable, Logger as NestLogger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { AbortLatch } from '../common/abort-latch.js';
import { clientIpOf, compileTrust, TrustFn } from '../common/client-ip.js';
import { LifecycleService } from '../common/lifecycle.service.js';
import { ACCESS_LOGGER } from '../common/logging/logger.token.js';
import { assignRequestId } from '../common/request-id.js';
import { AppConfig } from '../config/app-config.js';
import { describeError } from '../common/describe-error.js';
import { redactorOfGroups } from '../common/logging/known-secrets.js';
import { ENDPOINTS, MODEL_ENDPOINTS, type ModelEndpoint } from '../upstream/endpoints.js';
import type { RoutableProxyKey } from '../routing/routing-snapshot.js';
import { RoutingTable } from '../routing/routing-table.js';
import { UsageRecorder } from '../stats/recorder/usage-recorder.service.js';
import { RequestLoggingSettings } from '../stats/request-logging.settings.js';
import { errorFormatOf, sendJson, sendProxyError } from './client-response.js';
import { applyCors } from './cors.js';
import { findModel, listModels } from './models-listing.js';
import { ProxyError } from './proxy-error.js';
import { assertModelAllowed, authenticate, candidateGroups, presentedKey } from './proxy-key-auth.js';
import { ProxyRequest, toProxyRequest } from './proxy-request.js';
import { ProxyService } from './proxy.service.js';
import { RateLimitsService, TokenReservation } from './rate-limits.service.js';
import { parseJsonObject, readBody } from './read-body.js';
import { RequestTrace } from './request-trace.js';
import { groupsServing } from './serving-groups.js';
import { estimateTokens } from './token-estimate.js';
import { toUsageRecord } from './usage-record-of.js';

const MODEL_ENDPOINTS_BY_PATH: ReadonlyMap<string, ModelEndpoint> = new Map(
  MODEL_ENDPOINTS.map((endpoint) => [ENDPOINTS[endpoint].path, endpoint]),
);
const MODELS_PATH = ENDPOINTS.models.path;

/**
 * The `/v1` entry point: a plain `node:http` handler that takes `/v1/*` before Express (see
 * ARCHITECTURE.md: the framework pipeline, not the proxying, is what costs). Guard, limits and error
 * mapping are plain functions called here; everything behind is Nest-managed singletons.
 */
@Injectable()
export class ProxyEntry {
  private readonly logger = new NestLogger(ProxyEntry.name);
  private readonly corsOrigins: ReadonlySet<string>;
  private readonly trustProxy: TrustFn;

  constructor(
    private readonly config: AppConfig,
    private readonly routing: RoutingTable,
    private readonly rateLimits: RateLimitsService,
    private readonly proxy: ProxyService,
    private readonly lifecycle: LifecycleService,
    private readonly usage: UsageRecorder,
    private readonly requestLogging: RequestLoggingSettings,
    @Inject(ACCESS_LOGGER) private readonly accessLog: Logger,
  ) {
    this.corsOrigins = new Set(config.corsOrigins);
    this.trustProxy = compileTrust(config.trustProxy);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const requestId = assignRequestId(req, res);
    this.lifecycle.track(res);
    this.route(req, res, requestId).catch((error: unknown) => {
      const format = errorFormatOf(MODEL_ENDPOINTS_BY_PATH.get(pathOf(req.url)) ?? '');
      if (error instanceof ProxyError)
        return sendProxyError(res, error, { 'x-request-id': requestId }, format);
      if (isUploadAbort(req, error)) {
        // The client went away mid-upload: routine, not a fault; there is no one left to answer.
        this.logger.log(`request ${requestId}: the client closed the connection while uploading`);
        return;
      }
      const redactor = redactorOfGroups(this.routing.current());
      const stack = error instanceof Error && error.stack ? redactor.redact(error.stack) : undefined;
      this.logger.error(
        { requestId, stack },
        `unhandled error in the proxy: ${redactor.redact(describeError(error))}`,
      );
      sendProxyError(
        res,
        new ProxyError('internal_error', `Internal error; request id ${requestId}.`),
        {},
        format,
      );
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    if (this.corsOrigins.size > 0 && applyCors(req, res, this.corsOrigins)) return;
    const path = pathOf(req.url);
    const endpoint = MODEL_ENDPOINTS_BY_PATH.get(path);
    if (endpoint) {
      const method = ENDPOINTS[endpoint].method;
      if (req.method !== method) throw new ProxyError('method_not_allowed', `Use ${method} for ${path}.`);
      return this.proxyModelRequest(req, res, endpoint, requestId);
    }
    if (path === MODELS_PATH || path.startsWith(`${MODELS_PATH}/`)) {
      const method = ENDPOINTS.models.method;
      if (req.method !== method) throw new ProxyError('method_not_allowed', `Use ${method} for ${path}.`);
      return this.answerModels(req, res, path.slice(MODELS_PATH.length + 1));
    }
    req.resume();
    throw new ProxyError('not_found', `Unknown endpoint ${req.method} ${path}.`);
  }

  private answerModels(req: IncomingMessage, res: ServerResponse, encodedId: string): void {
    req.resume();
    const snapshot = this.routing.current();
    const key = authenticate(req.headers, snapshot, Date.now());
    const id = decodedModelId(encodedId);
    if (id === '')
      return sendJson(res, 200, JSON.stringify({ object: 'list', data: listModels(snapshot, key) }), {});
    const model = findModel(snapshot, key, id);
    if (!model)
      throw new ProxyError(
        'model_not_found',
        `The model "${id}" does not exist or you do not have access to it.`,
        {},
        'model',
      );
    sendJson(res, 200, JSON.stringify(model), {});
  }

  private async proxyModelRequest(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: ProxyRequest['endpoint'],
    requestId: string,
  ): Promise<void> {
    const trace = new RequestTrace(performance.now(), this.requestLogging.current().detailedContent);
    const snapshot = this.routing.current();
    // Upstream-derived text kept or returned has the known keys replaced: the snapshot's upstream
    // keys and the proxy key of this request.
    trace.redactor = redactorOfGroups(snapshot).with(presentedKey(req.headers));
    // Cheap refusals first, in an order that spends nothing: key, size, JSON, fields, permissions.
    let key: RoutableProxyKey;
    try {
      key = authenticate(req.headers, snapshot, Date.now());
    } catch (error) {
      req.resume();
      throw error;
    }
    const request = toProxyRequest(
      endpoint,
      parseJsonObject(
        await readBody(req, {
          limitBytes: this.config.bodyLimitBytes,
          timeoutMs: this.config.bodyReadTimeoutMs,
        }),
      ),
      req.headers,
    );
    assertModelAllowed(key, request.model);
    const groups = groupsServing(
      candidateGroups(snapshot, key, request.model, request.backend),
      endpoint,
      request.model,
    );
    const headers: Record<string, string> = { 'x-request-id': requestId };
    const clientGone = new AbortLatch();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });
    let reservation: TokenReservation | undefined;
    try {
      const admission = await this.rateLimits.admit(key, () => estimateTokens(request));
      reservation = admission.reservation;
      Object.assign(headers, admission.headers);
      await this.proxy.execute({ request, groups, snapshot, res, signal: clientGone, headers, trace });
    } catch (error) {
      if (error instanceof ProxyError) trace.failed(error.status, error.code, error.message);
      else trace.failed(500, 'internal_error', `internal error: ${describeError(error)}`);
      throw error;
    } finally {
      this.finish(trace, key, request, req, requestId, reservation);
    }
  }

  private finish(
    trace: RequestTrace,
    key: RoutableProxyKey,
    request: ProxyRequest,
    req: IncomingMessage,
    requestId: string,
    reservation: TokenReservation | undefined,
  ): void {
    this.rateLimits.settle(key, reservation, trace.usage?.totalTokens ?? 0);
    const clientIp = clientIpOf(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.trustProxy);
    const record = toUsageRecord(trace, key, request, req, requestId, clientIp);
    this.usage.push(record);
    this.accessLog.info(
      {
        requestId,
        proxyKeyId: record.proxyKeyId,
        model: record.model,
        group: record.groupName,
        key: trace.key?.masked,
        pinned: record.pinned,
        stream: record.stream,
        status: record.status,
        attempts: trace.attempts,
        latencyMs: record.latencyMs,
        ttfbMs: record.ttfbMs,
        totalTokens: record.totalTokens,
        error: record.errorType,
      },
      'proxy request',
    );
  }
}

function decodedModelId(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new ProxyError('invalid_request', 'The model id in the path is not valid percent-encoding.');
  }
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  const path = query === -1 ? raw : raw.slice(0, query);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The client aborted while its body was still arriving (Node raises `aborted`, ECONNRESET). */
function isUploadAbort(req: IncomingMessage, error: unknown): boolean {
  return !req.complete && (error as { code?: unknown } | null)?.code === 'ECONNRESET';
}
