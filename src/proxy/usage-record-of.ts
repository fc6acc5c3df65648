import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RoutableProxyKey } from '../routing/routing-snapshot.js';
import type { UsageRecord } from '../stats/usage-record.js';
import { ENDPOINTS } from '../upstream/endpoints.js';
import type { ProxyRequest } from './proxy-request.js';
import type { RequestTrace } from './request-trace.js';

/** The one usage record of a finished request (the recorder redacts and cuts the bodies). */
export function toUsageRecord(
  trace: RequestTrace,
  key: RoutableProxyKey,
  request: ProxyRequest,
  req: IncomingMessage,
  requestId: string,
  /** After TRUST_PROXY's rule for X-Forwarded-For. */
  clientIp: string | undefined,
): UsageRecord {
  const userAgent = req.headers['user-agent'];
  return {
    requestId,
    at: new Date(),
    proxyKeyId: key.id,
    proxyKeyName: key.name,
    model: request.model,
    upstreamModel: trace.upstreamModel,
    groupId: trace.group?.id,
    groupName: trace.group?.name,
    upstreamKeyId: trace.key?.id,
    pinned: request.backend !== undefined,
    stream: request.stream,
    status: trace.status,
    errorType: trace.errorType,
    errorMessage: trace.errorMessage,
    attempts: trace.attempts,
    latencyMs: Math.round(performance.now() - trace.startedAt),
    ttfbMs: trace.ttfbMs === undefined ? undefined : Math.round(trace.ttfbMs),
    promptTokens: trace.usage?.promptTokens,
    completionTokens: trace.usage?.completionTokens,
    totalTokens: trace.usage?.totalTokens,
    clientIp,
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
    requestBody: trace.captureBodies ? trace.redactor.redact(JSON.stringify(request.body)) : undefined,
    responseBody: trace.responseBody,
    endpoint: ENDPOINTS[request.endpoint].path,
  };
}
