import { UpstreamStreamError } from './adapter.js';
import { UpstreamUrlRefusedError } from './upstream-url-guard.js';

// What one upstream attempt's result means for the request and for the key (ROUTING.md's
// outcome table). Pure: the failover loop, the breakers and the health checks all read it.

export type AttemptKind =
  | 'success'
  | 'client_error'
  | 'rate_limited'
  | 'auth'
  | 'overloaded'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'request_timeout'
  | 'client_abort'
  | 'refused'
  | 'response_too_large'
  | 'internal';

export interface AttemptClassification {
  readonly kind: AttemptKind;
  /** Try the next candidate; false: answer the client with this result. */
  readonly retryable: boolean;
  /** Counts as a failure for the key's circuit breaker. */
  readonly breakerFailure: boolean;
  /** The key is bad (401/403): out of rotation until a health check passes. */
  readonly invalidatesKey: boolean;
  /** The retry must go to another key even if this one is the last left (503). */
  readonly differentKey: boolean;
  /** From `retry-after-ms` or `Retry-After` on a 429 or 503, unclamped. */
  readonly retryAfterMs?: number;
  /**
   * For `network` and `timeout`: what went wrong in words a client may see ("connection
   * refused"), never a host, an address or a key.
   */
  readonly failureClass?: FailureClass;
}

export type FailureClass =
  | 'could not resolve the upstream host'
  | 'connection refused'
  | 'connection reset'
  | 'upstream host unreachable'
  | 'TLS error'
  | 'timed out'
  | 'network error';

export interface AttemptObservation {
  readonly status?: number;
  /** What `UpstreamClient.send` or reading the body threw; takes precedence over `status`. */
  readonly error?: unknown;
  readonly retryAfterHeader?: string | readonly string[];
  readonly retryAfterMsHeader?: string | readonly string[];
  /** A wait the adapter read from the provider's own signals; wins over both headers. */
  readonly retryAfterMs?: number;
  /** Epoch ms, for an HTTP-date `Retry-After`; defaults to now. */
  readonly now?: number;
}

/** Only the total deadline is ours; undici raises its own errors for the connect, headers and body ones. */
export type TimeoutPhase = 'total';

/** A deadline of ours expired (the total one; undici raises its own for the others). */
export class UpstreamTimeoutError extends Error {
  constructor(
    readonly phase: TimeoutPhase,
    readonly timeoutMs: number,
  ) {
    super(`upstream ${phase.replace('_', ' ')} timeout after ${timeoutMs} ms`);
    this.name = 'UpstreamTimeoutError';
  }
}

/** The upstream's body passed `UPSTREAM_MAX_RESPONSE_BYTES` (or a smaller cap) and was cut off. */
export class UpstreamResponseTooLargeError extends Error {
  readonly code = 'UPSTREAM_RESPONSE_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`the upstream response is larger than ${maxBytes} bytes`);
    this.name = 'UpstreamResponseTooLargeError';
  }
}

/** The caller's signal aborted the attempt: the client went away, not the upstream. */
export class ClientAbortError extends Error {
  constructor(cause?: unknown) {
    super('the client aborted the request', { cause });
    this.name = 'ClientAbortError';
  }
}

const outcome = (
  kind: AttemptKind,
  retryable: boolean,
  breakerFailure: boolean,
  invalidatesKey = false,
  differentKey = false,
): AttemptClassification => Object.freeze({ kind, retryable, breakerFailure, invalidatesKey, differentKey });

// kind → (next candidate?, breaker failure?, key invalid?, must change key?)
const OUTCOMES: Readonly<Record<AttemptKind, AttemptClassification>> = {
  success: outcome('success', false, false),
  client_error: outcome('client_error', false, false),
  rate_limited: outcome('rate_limited', true, false),
  auth: outcome('auth', true, false, true),
  overloaded: outcome('overloaded', true, true, false, true),
  server_error: outcome('server_error', true, true),
  timeout: outcome('timeout', true, true),
  network: outcome('network', true, true),
  request_timeout: outcome('request_timeout', true, true),
  client_abort: outcome('client_abort', false, false),
  // The URL guard refused the address: a configuration error, not the key's fault. Another
  // candidate may still answer; the breaker and the key's health are left alone.
  refused: outcome('refused', true, false),
  // The answer passed UPSTREAM_MAX_RESPONSE_BYTES: every key would likely send the same; no retry.
  response_too_large: outcome('response_too_large', false, false),
  // A fault of the gateway's own during the attempt: another candidate may fare better; not the key's fault.
  internal: outcome('internal', true, false),
};

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** A fault of the gateway's own (a bug, a serialisation failure), not of the upstream. */
export const INTERNAL_OUTCOME = OUTCOMES.internal;

export function classifyAttempt(result: AttemptObservation): AttemptClassification {
  if (result.error !== undefined) return classifyError(result.error);
  const { status } = result;
  if (status === undefined) throw new TypeError('classifyAttempt needs a status or an error');
  if (status >= 200 && status < 300) return OUTCOMES.success;
  if (status === 401 || status === 403) return OUTCOMES.auth;
  if (status === 408) return OUTCOMES.request_timeout;
  if (status === 429) return withRetryAfter(OUTCOMES.rate_limited, result);
  if (status === 503) return withRetryAfter(OUTCOMES.overloaded, result);
  if (status >= 400 && status < 500) return OUTCOMES.client_error;
  // Other 5xx, and 3xx: redirects are never followed, so one is a misbehaving upstream.
  return OUTCOMES.server_error;
}

function classifyError(error: unknown): AttemptClassification {
  if (isClientAbort(error)) return OUTCOMES.client_abort;
  // An error event inside a 200 stream means what the same error means as a status.
  if (error instanceof UpstreamStreamError) return classifyAttempt({ status: error.status });
  if (causeChain(error).some((link) => link instanceof UpstreamUrlRefusedError)) return OUTCOMES.refused;
  if (error instanceof UpstreamResponseTooLargeError) return OUTCOMES.response_too_large;
  // Connection refused/reset, DNS, TLS, socket closed, parser errors: all "network".
  if (isTimeout(error)) return { ...OUTCOMES.timeout, failureClass: 'timed out' };
  return { ...OUTCOMES.network, failureClass: failureClassOf(error) };
}

const CODE_CLASSES: ReadonlyArray<[RegExp, FailureClass]> = [
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NODATA|EAI_NONAME|EAI_FAIL)$/, 'could not resolve the upstream host'],
  [/^ECONNREFUSED$/, 'connection refused'],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|ECONNABORTED)$/, 'connection reset'],
  [/^(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN)$/, 'upstream host unreachable'],
  [
    /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)|_CERT|CERT_HAS_EXPIRED/,
    'TLS error',
  ],
];

/** The class of a network error, from the `code` of the error or of its causes. */
export function failureClassOf(error: unknown): FailureClass {
  let current = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string')
      for (const [pattern, name] of CODE_CLASSES) if (pattern.test(code)) return name;
    current = (current as { cause?: unknown }).cause;
  }
  return 'network error';
}

export function isClientAbort(error: unknown): boolean {
  return error instanceof ClientAbortError || nameOf(error) === 'AbortError';
}

function isTimeout(error: unknown): boolean {
  return causeChain(error).some((link) => {
    if (link instanceof UpstreamTimeoutError || nameOf(link) === 'TimeoutError') return true;
    const code = (link as { code?: unknown }).code;
    return typeof code === 'string' && TIMEOUT_CODES.has(code);
  });
}

/** The error and a short `cause` chain: some layers wrap the socket error they met. */
function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  for (let current = error; chain.length < 3 && typeof current === 'object' && current !== null;) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function nameOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
}

function withRetryAfter(base: AttemptClassification, result: AttemptObservation): AttemptClassification {
  const now = result.now ?? Date.now();
  const retryAfterMs =
    result.retryAfterMs ??
    parseRetryAfterMs(first(result.retryAfterMsHeader)) ??
    parseRetryAfter(first(result.retryAfterHeader), now);
  return retryAfterMs === undefined ? base : { ...base, retryAfterMs };
}

/** `Retry-After` as milliseconds from `now`: delay-seconds or an HTTP-date; undefined when absent or invalid. */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!/[a-z]/i.test(value)) return undefined; // e.g. "-5": not a date either
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

// OpenAI and Azure also send `retry-after-ms`, more precise than whole seconds.
function parseRetryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(header)) return undefined;
  return Math.round(Number(header));
}

function first(header: string | readonly string[] | undefined): string | undefined {
  return typeof header === 'string' ? header : header?.[0];
}
