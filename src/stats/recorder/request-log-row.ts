import { redactSecrets } from '../../common/logging/redaction.js';
import { REQUEST_LOG_LIMITS as LIMITS, RequestLog } from '../entities/request-log.entity.js';
import { MAX_CONTENT_LENGTH, RequestLoggingOptions } from '../request-logging.options.js';
import { UsageRecord } from '../usage-record.js';

export type RequestLogRow = Omit<RequestLog, 'id'>;

const MAX_INT = 2_147_483_647;
// Redact a little past the cut so a secret straddling it cannot leave an unredacted head.
const REDACTION_MARGIN = 256;

/**
 * Maps a record onto a row that both engines accept as is: every text cut to its column,
 * every number a bounded integer, free text redacted, bodies only with detailed logging.
 */
export function toRequestLogRow(
  record: UsageRecord,
  options: Pick<RequestLoggingOptions, 'detailedContent' | 'maxContentLength'>,
): RequestLogRow {
  const maxContent = Math.min(options.maxContentLength, MAX_CONTENT_LENGTH);
  return {
    createdAt: record.at,
    requestId: record.requestId.slice(0, LIMITS.requestId),
    endpoint: record.endpoint.slice(0, LIMITS.endpoint),
    proxyKeyId: optionalInt(record.proxyKeyId),
    proxyKeyName: optionalText(record.proxyKeyName, LIMITS.name),
    model: record.model.slice(0, LIMITS.model),
    upstreamModel: optionalText(record.upstreamModel, LIMITS.model),
    groupId: optionalInt(record.groupId),
    groupName: optionalText(record.groupName, LIMITS.name),
    upstreamKeyId: optionalInt(record.upstreamKeyId),
    pinned: record.pinned,
    stream: record.stream,
    status: int(record.status),
    errorType: optionalText(record.errorType, LIMITS.errorType),
    errorMessage: redactedText(record.errorMessage, LIMITS.errorMessage),
    attempts: int(record.attempts),
    latencyMs: int(record.latencyMs),
    ttfbMs: optionalInt(record.ttfbMs),
    promptTokens: optionalInt(record.promptTokens),
    completionTokens: optionalInt(record.completionTokens),
    totalTokens: optionalInt(record.totalTokens),
    clientIp: optionalText(record.clientIp, LIMITS.clientIp),
    userAgent: optionalText(record.userAgent, LIMITS.userAgent),
    requestBody: options.detailedContent ? redactedText(record.requestBody, maxContent) : null,
    responseBody: options.detailedContent ? redactedText(record.responseBody, maxContent) : null,
  };
}

/** Cuts a body to `max` without redacting: cheap enough for the hot path, bounds the queue's memory. */
export function cutContent(text: string | undefined, max: number): string | undefined {
  const limit = Math.min(max, MAX_CONTENT_LENGTH) + REDACTION_MARGIN;
  return text !== undefined && text.length > limit ? text.slice(0, limit) : text;
}

function redactedText(text: string | undefined, max: number): string | null {
  if (text === undefined) return null;
  return redactSecrets(text.slice(0, max + REDACTION_MARGIN)).slice(0, max);
}

function optionalText(text: string | undefined, max: number): string | null {
  return text === undefined ? null : text.slice(0, max);
}

function int(value: number): number {
  return Number.isFinite(value) ? Math.min(MAX_INT, Math.max(0, Math.round(value))) : 0;
}

function optionalInt(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : int(value);
}
