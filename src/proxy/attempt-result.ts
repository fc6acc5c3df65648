import type { KeyOutcome } from '../key-health/key-health.js';
import { oneLineRedacted } from '../common/logging/redaction.js';
import type { SecretRedactor } from '../common/logging/known-secrets.js';
import type { AttemptClassification } from '../upstream/upstream-error.js';

export interface AttemptFailure {
  readonly outcome: AttemptClassification;
  readonly status?: number;
  /** Redacted (known secrets and credential shapes), ≤ 500 characters. */
  readonly message: string;
}

/**
 * What one attempt did, as the relay saw it; ProxyService records it (metrics, key health) and
 * releases the attempt's permit exactly once. `answered`: the client got its response (no more
 * failover); `failure`: the attempt failed (both at once: a stream cut after its start).
 */
export interface AttemptResult {
  readonly answered: boolean;
  readonly failure?: AttemptFailure;
  /**
   * The attempt says nothing about the key (the client left, the request was at fault, a limit or
   * fault of the gateway's own): its permit is released without an outcome.
   */
  readonly keyNeutral?: boolean;
}

export const ANSWERED: AttemptResult = { answered: true };

export function failedAttempt(
  outcome: AttemptClassification,
  message: string,
  redactor: SecretRedactor,
  status?: number,
): AttemptResult {
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
export function toHealthOutcome(
  outcome: AttemptClassification,
  status?: number,
  message?: string,
): KeyOutcome {
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
