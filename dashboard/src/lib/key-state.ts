import type { RoutabilityReason } from '../api/types.js';
import { fmtCountdown, fmtTime } from './format.js';

/** The five colours of a key dot. */
export type KeyState = 'healthy' | 'recovering' | 'open' | 'invalid' | 'disabled';

export interface KeyFacts {
  enabled: boolean;
  reason: RoutabilityReason;
  availableAt: string | null;
  lastError?: string | null;
  lastStatusCode?: number | null;
  consecutiveFailures?: number;
}

export function keyState(reason: RoutabilityReason): KeyState {
  switch (reason) {
    case 'ok':
      return 'healthy';
    case 'half_open':
    case 'cooling_down_429':
      return 'recovering';
    case 'breaker_open':
    case 'unhealthy_by_checks':
      return 'open';
    case 'invalid_credentials':
      return 'invalid';
    default:
      return 'disabled';
  }
}

const REASON_TEXT: Record<RoutabilityReason, string> = {
  ok: 'taking traffic',
  breaker_open: 'circuit open',
  half_open: 'half-open: the next request is a trial',
  cooling_down_429: 'cooling down after a 429',
  invalid_credentials: 'invalid credentials',
  unhealthy_by_checks: 'unhealthy by health checks',
  disabled: 'key disabled',
  group_disabled: 'group disabled',
};

/** The short label next to a dot: "open · 0:42", "recovering · 0:10", "healthy". */
export function keyLabel(facts: KeyFacts, now = Date.now()): string {
  const state = keyState(facts.reason);
  return facts.availableAt && (state === 'open' || state === 'recovering')
    ? `${state} · ${fmtCountdown(facts.availableAt, now)}`
    : state;
}

/** The routability explainer: "open until 14:32, 3 failures: upstream answered 500". */
export function explain(facts: KeyFacts): string {
  const failures = facts.consecutiveFailures ? `, ${facts.consecutiveFailures} failures` : '';
  const cause = facts.lastError ? `: ${facts.lastError}` : '';
  switch (facts.reason) {
    case 'breaker_open':
      return `open until ${fmtTime(facts.availableAt)}${failures}${cause}`;
    case 'cooling_down_429':
      return `cooling down after a 429 until ${fmtTime(facts.availableAt)}`;
    case 'invalid_credentials':
      return `invalid: ${facts.lastError ?? `upstream answered ${facts.lastStatusCode ?? 401}`}`;
    case 'unhealthy_by_checks':
      return `unhealthy by health checks${facts.availableAt ? ` until ${fmtTime(facts.availableAt)}` : ''}${cause}`;
    default:
      return REASON_TEXT[facts.reason] + (facts.reason === 'half_open' ? cause : '');
  }
}
