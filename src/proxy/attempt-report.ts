import type { KeyOutcome } from '../key-health/key-health.js';
import { oneLineRedacted } from '../common/logging/redaction.js';
import type { SecretRedactor } from '../common/logging/known-secrets.js';
import type { TokenUsage } from '../upstream/adapter.js';
import type { AttemptClassification } from '../upstream/upstream-error.js';

export interface AttemptFailure {
  readonly outcome: AttemptClassification;
  readonly status?: number;
  /** Redacted (known secrets and credential shapes), ≤ 500 characters. */
  readonly message: string;
}

/**
 * What one attempt did, as the relay saw it: the one report of its result. ProxyService records
 * it in the request's trace and releases the attempt's permit, once, in its `finally`.
 * `answered`: the client got its response (no more failover); `failure`: the attempt failed (both
 * at once: a stream cut after its start).
 */
export interface AttemptReport {
  readonly answered: boolean;
  readonly failure?: AttemptFailure;
  /**
   * The attempt says nothing about the key (the client left, the request was at fault, a limit or
   * fault of the gateway's own): its permit is released without an outcome.
   */
  readonly keyNeutral?: boolean;
  /** The client went away during the attempt (answered with 499 in the logs). */
  readonly clientGone?: boolean;
  /** The HTTP status the client was answered with. */
  readonly status?: number;
  /** The client was answered with an error: its type and message (may hold upstream text). */
  readonly clientError?: { readonly type: string; readonly message: string };
  /** The token usage the upstream reported, also for a stream that failed part-way. */
  readonly usage?: TokenUsage;
  /** `performance.now()` when the first byte of a stream reached the client. */
  readonly firstByteAt?: number;
  /** The non-stream answer as sent (kept only with detailed request logging). */
  readonly body?: string;
}

export function failedAttempt(
  outcome: AttemptClassification,
  message: string,
  redactor: SecretRedactor,
  status?: number,
): AttemptReport {
  return { answered: false, failure: attemptFailure(outcome, message, redactor, status) };
}

export function attemptFailure(
  outcome: AttemptClassification,
  message: string,
  redactor: SecretRedactor,
  status?: number,
): AttemptFailure {
  return { outcome, status, message: oneLineRedacted(message, 500, (text) => redactor.redact(text)) };
}

/** The classifier's verdict in the shape HealthState records. */
export function toKeyOutcome(outcome: AttemptClassification, status?: number, message?: string): KeyOutcome {
  return {
    success: outcome.kind === 'success',
    breakerFailure: outcome.breakerFailure,
    invalidatesKey: outcome.invalidatesKey,
    kind: outcome.kind,
    status,
    message,
    retryAfterMs:
      outcome.kind === 'rate_limited' || outcome.kind === 'overloaded' ? outcome.retryAfterMs : undefined,
  };
}
