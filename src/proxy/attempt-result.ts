import type { KeyOutcome } from '../key-health/key-health.js';
import { oneLineRedacted } from '../common/logging/redaction.js';
import type { AttemptClassification } from '../upstream/upstream-error.js';

export interface AttemptFailure {
  readonly outcome: AttemptClassification;
  readonly status?: number;
  /** Redacted, ≤ 500 characters. */
  readonly message: string;
}

/**
 * How one attempt ended for the failover loop: `answered` when the client got its response (no
 * more failover), `failure` when the attempt failed (both at once: a stream cut after its start).
 */
export interface AttemptResult {
  readonly answered: boolean;
  readonly failure?: AttemptFailure;
}

export const ANSWERED: AttemptResult = { answered: true };

export function failedAttempt(
  outcome: AttemptClassification,
  message: string,
  status?: number,
): AttemptResult {
  return { answered: false, failure: { outcome, status, message: oneLineRedacted(message) } };
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
