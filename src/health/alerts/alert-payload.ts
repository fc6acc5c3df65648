import { oneLineRedacted } from '../../common/logging/redaction.js';
import { formatDelay } from '../../key-health/health-state.service.js';
import type { KeyCondition, KeyTransition } from '../../key-health/key-health.js';
import type { AlertEvent } from './alerts.settings.js';

// Which transitions alert, and what the webhook receives (ROUTING.md "Alerts"). Pure.

/** The JSON body POSTed to a webhook; `text` makes it a valid Slack incoming-webhook message. */
export interface AlertPayload {
  readonly event: AlertEvent;
  readonly group: string;
  /** Masked, e.g. `sk-…abcd`. */
  readonly key: string;
  readonly status_code: number | null;
  readonly error: string | null;
  /** ISO 8601. */
  readonly at: string;
  readonly text: string;
  /** HealthState's reason, e.g. `failure_threshold`, `marked_invalid`, `recovered`. */
  readonly reason: string;
}

/** What `POST /admin/settings/alerts/test` reports per webhook (by position and host: the URL may be a secret). */
export interface AlertTestResult {
  readonly index: number;
  readonly host: string;
  readonly ok: boolean;
  /** The receiver's HTTP status; null when none came back. */
  readonly status: number | null;
  readonly error: string | null;
  readonly latencyMs: number;
}

/** The body of a test alert: the payload's shape, so receivers can be checked against it. */
export function testPayload(actor: string, at: Date) {
  return {
    event: 'test',
    group: null,
    key: null,
    status_code: null,
    error: null,
    at: at.toISOString(),
    reason: 'test',
    text: `:white_check_mark: Switchyard: test alert sent by ${actor}; alerts reach this webhook.`,
  } as const;
}

const DOWN: ReadonlySet<KeyCondition> = new Set(['open', 'invalid', 'unhealthy']);

/**
 * `unhealthy` when a key that was up goes out of rotation (breaker opened, marked invalid,
 * unhealthy by checks); `recovered` when a key that was down is fully back (closed). `wasDown`
 * is whether the last alert for the key said unhealthy, so a flapping key alerts once per outage.
 */
export function alertEventFor(t: KeyTransition, wasDown: boolean): AlertEvent | undefined {
  if (t.reason === 'rate_limited') return undefined;
  if (DOWN.has(t.to) && !wasDown) return 'unhealthy';
  if (t.to === 'closed' && wasDown) return 'recovered';
  return undefined;
}

/** `status`/`error` default to the transition's; the checker passes its own for check verdicts. */
export function buildAlertPayload(
  event: AlertEvent,
  t: KeyTransition,
  detail: { status?: number; error?: string } = {},
): AlertPayload {
  const status = t.status ?? detail.status;
  // A recovery has no error, whatever the key's last one was.
  const error = event === 'recovered' ? undefined : oneLine(t.message ?? detail.error);
  return {
    event,
    group: t.ref.groupName,
    key: t.ref.masked,
    status_code: status ?? null,
    error: error ?? null,
    at: new Date(t.at).toISOString(),
    text: alertText(event, t, status, error),
    reason: t.reason,
  };
}

export function alertText(event: AlertEvent, t: KeyTransition, status?: number, error?: string): string {
  const who = `key ${t.ref.masked} of group ${t.ref.groupName}`;
  if (event === 'recovered') return `:large_green_circle: Switchyard: ${who} recovered (${WHY[t.reason]})`;
  const retry = t.nextRetryAt === undefined ? '' : `, retry in ${formatDelay(t.nextRetryAt - t.at)}`;
  const cause = [status === undefined ? undefined : `HTTP ${status}`, error].filter(Boolean).join(': ');
  const detail = cause ? `: ${truncate(cause, 200)}` : '';
  return `:red_circle: Switchyard: ${who} is unhealthy (${WHY[t.reason]}${retry})${detail}`;
}

const WHY: Record<KeyTransition['reason'], string> = {
  failure_threshold: 'circuit opened after consecutive failures',
  trial_failed: 'circuit re-opened: half-open trial failed',
  backoff_elapsed: 'circuit half-open',
  forced_trial: 'circuit half-open',
  success_threshold: 'circuit closed after successful trials',
  reset: 'health check passed',
  marked_invalid: 'credentials rejected',
  marked_valid: 'credentials accepted again',
  marked_unhealthy: 'failed its scheduled health checks',
  recovered: 'health check passed',
  rate_limited: 'rate limited',
};

// Slack needs one line; a secret must never leave, even if one slipped into an upstream message.
function oneLine(text: string | undefined): string | undefined {
  return text === undefined ? undefined : oneLineRedacted(text);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
