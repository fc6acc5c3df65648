import { isPlainObject } from '../../settings/settings-section.js';
import { AdminError } from '../../common/admin-error.js';
import {
  assertAllowedUpstreamUrl,
  UpstreamUrlRefusedError,
  UrlGuardOptions,
} from '../../upstream/upstream-url-guard.js';

// The `alerts` section of `GET/PUT /admin/settings`: `{webhooks: [{url, events}]}`. Pure.

export const ALERTS_SECTION = 'alerts';
export const ALERT_EVENTS = ['unhealthy', 'recovered'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export interface AlertWebhook {
  readonly url: string;
  /** Which transitions this receiver wants; both when omitted. */
  readonly events: readonly AlertEvent[];
}

export interface AlertsOptions {
  readonly webhooks: readonly AlertWebhook[];
}

export const ALERTS_DEFAULTS: AlertsOptions = { webhooks: [] };
const MAX_WEBHOOKS = 20;
const MAX_URL_LENGTH = 2048;

/** Every problem in one 400. Webhook URLs pass the same address guard as group base URLs. */
export function validateAlerts(value: unknown, urlGuard: UrlGuardOptions): AlertsOptions {
  if (!isPlainObject(value)) throw new AdminError('invalid', 'alerts must be an object');
  const problems: string[] = [];
  const unknown = Object.keys(value).filter((key) => key !== 'webhooks');
  if (unknown.length > 0) problems.push(`alerts has unknown fields: ${unknown.join(', ')}`);
  const list = value.webhooks ?? [];
  if (!Array.isArray(list)) problems.push('alerts.webhooks must be an array');
  else if (list.length > MAX_WEBHOOKS)
    problems.push(`alerts.webhooks holds at most ${MAX_WEBHOOKS} receivers`);
  const webhooks = Array.isArray(list)
    ? list.map((item, i) => webhookOf(item, `alerts.webhooks[${i}]`, problems, urlGuard))
    : [];
  if (problems.length > 0) throw new AdminError('invalid', problems.join('; '));
  return { webhooks };
}

function webhookOf(item: unknown, path: string, problems: string[], urlGuard: UrlGuardOptions): AlertWebhook {
  if (!isPlainObject(item)) {
    problems.push(`${path} must be an object {url, events}`);
    return { url: '', events: [] };
  }
  const unknown = Object.keys(item).filter((key) => key !== 'url' && key !== 'events');
  if (unknown.length > 0) problems.push(`${path} has unknown fields: ${unknown.join(', ')}`);
  const url = typeof item.url === 'string' ? item.url.trim() : '';
  if (!isHttpUrl(url))
    problems.push(`${path}.url must be an http(s) URL of at most ${MAX_URL_LENGTH} characters`);
  else {
    const refused = refusalOf(url, urlGuard);
    if (refused) problems.push(`${path}.url is refused: ${refused}`);
  }
  const events = item.events ?? [...ALERT_EVENTS];
  const valid =
    Array.isArray(events) &&
    events.length > 0 &&
    events.every((event) => (ALERT_EVENTS as readonly unknown[]).includes(event));
  if (!valid) problems.push(`${path}.events must be a non-empty list of ${ALERT_EVENTS.join(', ')}`);
  return { url, events: valid ? [...new Set(events as AlertEvent[])] : [] };
}

function isHttpUrl(text: string): boolean {
  if (text.length === 0 || text.length > MAX_URL_LENGTH) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Why the guard refuses the URL (naming its host only: a webhook URL may be a secret), or undefined. */
export function refusalOf(url: string, urlGuard: UrlGuardOptions): string | undefined {
  try {
    assertAllowedUpstreamUrl(url, urlGuard);
    return undefined;
  } catch (error) {
    if (error instanceof UpstreamUrlRefusedError) return error.reason;
    throw error;
  }
}
